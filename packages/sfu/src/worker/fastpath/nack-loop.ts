/**
 * werift 0.24.4's NackHandler (a receiver's Generic NACK generator, RFC 4585 §6.2.1) starts a
 * 5 ms interval at the first missing packet and means to stop it once nothing is missing, but
 * its `sendNack` returns a promise that never settles when nothing is missing, and the loop's
 * `clearInterval` comes after awaiting it: after one repaired loss the loop runs for the
 * receiver's lifetime, about 200 wake-ups a second (measured: ~27 ms of CPU per second for one
 * idle receiver), on every publisher link that ever lost a packet. (bench:sfu runs on loopback
 * without loss, so its figures do not show this.)
 *
 * Patched on werift's class, found from an instance (werift's ESM bundle does not export it):
 * the loop now stops as soon as nothing is missing. When and what it sends is unchanged.
 * Re-check on a werift upgrade (`nack-loop.test.ts` fails if the class changes shape).
 */
interface NackHandlerInternals {
  _lost: Record<number, number>;
  nackLoop: ReturnType<typeof setInterval> | undefined;
  closed: boolean;
  sendNack(): Promise<unknown>;
}

const NACK_INTERVAL_MS = 5;
const patched = new WeakSet<object>();

/** Whether `nack`'s class has the shape this patch expects (werift 0.24.x). */
export const isWeriftNackHandler = (nack: unknown): boolean => {
  const proto: unknown =
    nack === null || typeof nack !== 'object' ? null : (Object.getPrototypeOf(nack) as unknown);
  const n = nack as Partial<NackHandlerInternals> | null;
  return (
    proto !== null &&
    typeof (proto as { setLost?: unknown }).setLost === 'function' &&
    typeof n?.sendNack === 'function' &&
    typeof n._lost === 'object'
  );
};

/** Makes the NACK loop of `nack`'s class stop when nothing is missing (idempotent). */
export const fixNackLoop = (nack: unknown): void => {
  if (!isWeriftNackHandler(nack)) return;
  const proto = Object.getPrototypeOf(nack) as {
    setLost: (this: NackHandlerInternals, seq: number, count: number) => void;
  };
  if (patched.has(proto)) return;
  patched.add(proto);
  proto.setLost = function setLost(seq, count) {
    this._lost[seq] = count;
    if (this.nackLoop || this.closed) return;
    const stop = () => {
      clearInterval(this.nackLoop);
      this.nackLoop = undefined;
    };
    this.nackLoop = setInterval(() => {
      if (this.closed || Object.keys(this._lost).length === 0) return stop();
      this.sendNack().catch(() => undefined); // a failed send is retried on the next tick
    }, NACK_INTERVAL_MS);
  };
};
