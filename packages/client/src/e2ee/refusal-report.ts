import type { KeyPackageEntry } from '@conclave/protocol';
import type { SignalClient } from '../signal/signal-client';
import type { RefusedKeyPackage } from './expected-devices';

/**
 * The committer's device tells the Delivery Service which KeyPackages of its request (`asked`,
 * for `epoch`) it refused, before its Commit or instead of one (`commitFollows` false): the
 * Delivery Service then asks those devices for fresh ones at once, rather than waiting out its
 * commit timeout for an answer that is not coming.
 */
export async function tellRefusals(
  signal: SignalClient | undefined,
  epoch: number,
  asked: KeyPackageEntry[],
  refused: RefusedKeyPackage[],
  commitFollows: boolean,
): Promise<void> {
  if (refused.length === 0 || !signal) return;
  await signal
    .request({
      type: 'e2ee.refused',
      epoch,
      refused: refused.map((r) => ({
        participantId: asked[r.index]!.participantId,
        reason: r.reason,
      })),
      commitFollows,
    })
    .catch(() => undefined); // a stale answer: the Delivery Service moved on already
}
