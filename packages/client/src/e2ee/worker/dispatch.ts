import type { E2eeEngine } from '../engine';
import type { WorkerRequest } from './messages';

/** One request to the E2EE engine; shared by the browser worker and the in-process Node shim. */
export async function handleRequest(engine: E2eeEngine, req: WorkerRequest): Promise<unknown> {
  switch (req.kind) {
    case 'init':
      await engine.init(req.identity, req.accountUserId);
      return null;
    case 'trustDevice':
      await engine.trustDevice(req.accountUserId, req.deviceKey);
      return null;
    case 'makeKeyPackage':
      return engine.makeKeyPackage();
    case 'createGroup':
      return engine.createGroup(req.keyPackages, req.unsupportedClients, req.offKeys);
    case 'commit':
      return engine.commit(req.add, req.remove, req.epoch);
    case 'processCommit':
      return engine.processCommit(req.commit);
    case 'prepareGroup':
      return engine.prepareGroup(req.keyPackages, req.unsupportedClients, req.offKeys);
    case 'joinPrepared':
      await engine.joinPrepared(req.welcome);
      return null;
    case 'promotePrepared':
      return engine.promotePrepared(req.members, req.leave ?? false);
    case 'discardPrepared':
      engine.discardPrepared();
      return null;
    case 'joinFromWelcome':
      return engine.joinFromWelcome(req.welcome);
    case 'sealControl':
      return engine.sealControl(req.message);
    case 'openControl':
      return engine.openControl(req.data);
    case 'sealChat':
      return engine.sealChat(req.text, req.to);
    case 'openChat':
      return engine.openChat(req.data);
    case 'sealBoard':
      return engine.sealBoard(req.data);
    case 'openBoard':
      return engine.openBoard(req.data);
    case 'turnOff':
      engine.turnOff();
      return null;
    case 'abandonGroup':
      engine.abandonGroup();
      return null;
    case 'signingKey':
      return engine.signingPublicKey();
    case 'setExpectedDevices':
      engine.setExpectedDevices(req.devices);
      return null;
    case 'test.corruptReceiveKeys':
      return engine.corruptReceiveKeys();
    case 'expectEncryption':
      engine.expectEncryption(req.on);
      return null;
    case 'status':
      return engine.status();
    default: {
      const unreachable: never = req;
      throw new TypeError(`unknown request ${String(unreachable)}`);
    }
  }
}

/** Requests after which keys may have changed (status is pushed, keyframes requested). */
export function changesKeys(req: WorkerRequest): boolean {
  return ![
    'status',
    'makeKeyPackage',
    'sealControl',
    'openControl',
    'sealChat',
    'openChat',
    'sealBoard',
    'openBoard',
    'signingKey',
    'setExpectedDevices',
    'prepareGroup',
    'joinPrepared',
    'discardPrepared',
  ].includes(req.kind);
}
