// Entry of a worker_thread that is one meeting device of the feature bench: it owns a
// BenchDevice (its own signaling connection, its own MLS state) and answers DeviceRequests.
import { parentPort } from 'node:worker_threads';
import { BenchDevice } from './e2ee-bench-device';
import type { DeviceReply, DeviceRequest } from './e2ee-device-messages';

const port = parentPort!;
let device: BenchDevice | undefined;

const reply = (r: DeviceReply) => port.postMessage(r);
const fail = (id: number, err: unknown) =>
  reply({
    kind: 'result',
    id,
    ok: false,
    error: err instanceof Error ? (err.stack ?? err.message) : String(err),
  });

function need(): BenchDevice {
  if (!device) throw new Error('this device has not joined');
  return device;
}

async function handle(req: DeviceRequest): Promise<string | number | null> {
  switch (req.kind) {
    case 'join':
      device = await BenchDevice.join(req.spec);
      return device.selfId;
    case 'enable':
      await need().enable();
      return null;
    case 'waitRoster':
      await need().waitRoster(req.size);
      return null;
    case 'spareUploaded':
      await need().spareUploaded();
      return null;
    case 'armChat': {
      const { shown } = await need().armChat(req.text);
      shown.then(
        (at) => reply({ kind: 'result', id: req.doneId, ok: true, value: at }),
        (err: unknown) => fail(req.doneId, err),
      );
      return null;
    }
    case 'sendChat':
      return need().sendChat(req.text);
    case 'armMove': {
      const { done } = await need().armMove(req.e2ee);
      done.then(
        (value) => reply({ kind: 'result', id: req.doneId, ok: true, value }),
        (err: unknown) => fail(req.doneId, err),
      );
      return null;
    }
    case 'openBreakouts':
      return need().openBreakouts();
    case 'prepareBreakouts':
      return need().prepareBreakouts();
    case 'waitPrepared':
      await need().waitPrepared(req.planId);
      return null;
    case 'leave':
      await need().leave();
      device = undefined;
      return null;
    default: {
      const unreachable: never = req;
      throw new TypeError(`unknown request ${JSON.stringify(unreachable)}`);
    }
  }
}

port.on('message', (req: DeviceRequest) => {
  handle(req).then(
    (value) => reply({ kind: 'result', id: req.id, ok: true, value }),
    (err: unknown) => fail(req.id, err),
  );
});
