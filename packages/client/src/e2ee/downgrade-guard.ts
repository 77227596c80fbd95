import type { Participant, ParticipantId } from '@conclave/protocol';
import type { DowngradeCountdown } from './e2ee-view';
import type { EngineStatus } from './engine';

export interface DowngradeGuardDeps {
  /** How long the host's device waits before a downgrade it did not ask for (default 10 s). */
  delayMs?: number | undefined;
  participants: () => Participant[];
  /** This device's E2EE status (roster, and the policy signed when E2EE went on). */
  local: () => EngineStatus | null;
  /** Sends the authenticated "E2EE off" naming the joiner. */
  turnOff: (joiner: Participant) => void;
  banner: (tone: 'info' | 'warning', text: string) => void;
  changed: () => void;
}

/**
 * The host device's answer to "an unsupported client joined": E2EE goes off only for a real
 * reason (DESIGN.md §4.4) and, unless the host asked for it, after a countdown the host can stop.
 */
export class DowngradeGuard {
  readonly #deps: DowngradeGuardDeps;
  #countdown: { view: DowngradeCountdown; timer: ReturnType<typeof setTimeout> } | undefined;
  /** The host asked to let this held participant in (so the downgrade it brings is wanted). */
  #admitAsked: ParticipantId | undefined;

  constructor(deps: DowngradeGuardDeps) {
    this.#deps = deps;
  }

  get countdown(): DowngradeCountdown | null {
    return this.#countdown?.view ?? null;
  }

  /**
   * The server says an unsupported client joined. Acted on only when the person is in the
   * participant list, is not in the MLS group, reported no E2EE capability, and the policy signed
   * when E2EE went on says "downgrade" (or the host asked to let them in).
   */
  requested(id: ParticipantId): void {
    const p = this.#deps.participants().find((x) => x.id === id);
    const asked = this.#admitAsked === id;
    const local = this.#deps.local();
    const rule = local?.policy?.unsupportedClients;
    const why = !p
      ? 'nobody by that name is in the meeting'
      : p.e2eeCapable
        ? `${p.displayName}'s client can do end-to-end encryption`
        : local?.roster.some((m) => m.deviceId === id)
          ? `${p.displayName} already holds the key`
          : !asked && rule !== 'downgrade'
            ? `this meeting's policy, fixed when encryption was turned on, is to ${rule === 'hold' ? 'keep such participants waiting' : 'refuse them'}`
            : undefined;
    if (!p || why) {
      this.#deps.banner(
        'warning',
        `Ignored a request from the server to turn off end-to-end encryption: ${why ?? 'no reason'}.`,
      );
      return;
    }
    const off = () => {
      this.clear();
      this.#deps.turnOff(p);
    };
    if (asked) {
      this.#admitAsked = undefined;
      off();
      return;
    }
    const delay = this.#deps.delayMs ?? 10_000;
    this.clear();
    this.#countdown = {
      view: {
        participantId: p.id,
        displayName: p.displayName,
        clientLabel: p.clientLabel,
        at: Date.now() + delay,
      },
      timer: setTimeout(off, delay),
    };
    this.#deps.banner(
      'warning',
      `${p.displayName} joined from ${p.clientLabel}, which cannot do end-to-end encryption. Encryption turns off in ${Math.round(delay / 1000)} s unless you keep it on (they keep waiting).`,
    );
    this.#deps.changed();
  }

  /** The host keeps E2EE on: the unsupported joiner keeps waiting. */
  keepOn(): void {
    if (!this.#countdown) return;
    const name = this.#countdown.view.displayName;
    this.clear();
    this.#deps.banner('info', `End-to-end encryption stays on; ${name} keeps waiting.`);
    this.#deps.changed();
  }

  /** The host chose to let a held participant in: the downgrade that follows is wanted. */
  expectFor(id: ParticipantId): void {
    this.#admitAsked = id;
  }

  clear(): void {
    if (this.#countdown) clearTimeout(this.#countdown.timer);
    this.#countdown = undefined;
  }
}
