// Membership churn on GroupSession (RFC 9420 §12.1-§12.4): random single and batched adds and
// removes, committer hand-over, and adds into leaves freed by removes, at 2 to 60 members. Every
// joiner must join from its Welcome, every member must agree on the epoch authenticator and the
// exporter, and every removed member must be unable to derive the next epoch's secrets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { E2eeError } from '../errors';
import type { MemberIdentity } from './credential';
import { GroupSession, toLeafIndex } from './group-session';

const MIN = 2;
const MAX = 60;
const who = (name: string): MemberIdentity => ({
  userId: name,
  displayName: name,
  deviceId: `${name}-device`,
});
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const EXPORT = ['churn test', new Uint8Array([1, 2, 3]), 32] as const;

interface Model {
  members: Map<string, GroupSession>;
  committer: string;
  next: number;
}

async function startGroup(size: number): Promise<Model> {
  const first = await GroupSession.create(who('m0'));
  const model: Model = { members: new Map([['m0', first]]), committer: 'm0', next: 1 };
  if (size > 1) await commit(model, size - 1, []);
  return model;
}

/** One commit by the model's committer; everyone follows; then the invariants are checked. */
async function commit(model: Model, addCount: number, removeNames: string[]): Promise<void> {
  const committer = model.members.get(model.committer)!;
  const joiners = Array.from({ length: addCount }, () => `m${model.next++}`);
  const pending = await Promise.all(joiners.map((n) => GroupSession.makeKeyPackage(who(n))));
  const leaves = removeNames.map((n) =>
    toLeafIndex(committer.members().find((m) => m.identity.userId === n)!.leafIndex),
  );
  const out = await committer.commitChanges(
    pending.map((p) => p.keyPackage),
    leaves,
  );
  for (const [name, session] of model.members) {
    if (name === model.committer) continue;
    const result = await session.processCommit(out.commit);
    expect(result.kind, `${name} after the commit`).toBe(
      removeNames.includes(name) ? 'removed' : 'epoch',
    );
  }
  for (const name of removeNames) {
    const gone = model.members.get(name)!;
    model.members.delete(name);
    // RFC 9420 §12.4.2: the path secrets of the new epoch are encrypted to the remaining
    // members only, so a removed member has no exporter for it.
    await expect(gone.exportSecret(...EXPORT)).rejects.toSatisfy(
      (e) => e instanceof E2eeError && e.code === 'E2EE_ERR_NOT_A_MEMBER',
    );
    expect(gone.active).toBe(false);
  }
  for (const [i, name] of joiners.entries()) {
    model.members.set(name, await GroupSession.joinFromWelcome(out.welcome!, pending[i]!));
  }
  await expectAgreement(model);
}

async function expectAgreement(model: Model): Promise<void> {
  const names = [...model.members.keys()].sort();
  const views = await Promise.all(
    [...model.members.values()].map(async (s) => ({
      epoch: s.epoch,
      authenticator: hex(s.epochAuthenticator()),
      exporter: hex(await s.exportSecret(...EXPORT)),
      roster: s
        .members()
        .map((m) => m.identity.userId)
        .sort()
        .join(','),
    })),
  );
  const first = views[0]!;
  for (const v of views) expect(v).toEqual(first);
  expect(first.roster).toBe(names.join(','));
}

type Step =
  | { kind: 'add'; count: number }
  | { kind: 'remove'; picks: number[] }
  | { kind: 'addAndRemove'; count: number; picks: number[] }
  | { kind: 'handOver'; pick: number };

const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 4 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), count: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('remove' as const), picks }),
  fc.record({
    kind: fc.constant('addAndRemove' as const),
    count: fc.integer({ min: 1, max: 4 }),
    picks,
  }),
  fc.record({ kind: fc.constant('handOver' as const), pick: fc.nat() }),
);

async function apply(model: Model, s: Step): Promise<void> {
  const others = [...model.members.keys()].filter((n) => n !== model.committer);
  if (s.kind === 'handOver') {
    if (others.length > 0) model.committer = others[s.pick % others.length]!;
    return;
  }
  const wanted =
    s.kind === 'add' ? [] : [...new Set(s.picks.map((p) => others[p % others.length]!))];
  const addWanted = s.kind === 'remove' ? 0 : s.count;
  const size = model.members.size;
  // Stay within MIN..MAX members after the commit.
  const remove = wanted.slice(0, Math.max(0, size + addWanted - MIN));
  const add = Math.min(addWanted, MAX - size + remove.length);
  if (add === 0 && remove.length === 0) return;
  await commit(model, add, remove);
}

describe('MLS group churn', () => {
  it('a member who joins after someone left enters the group (the sequence that failed in issue 13)', async () => {
    // Unpatched ts-mls 1.6.4 rejects this Welcome: the new leaf fills the freed one under parents
    // whose unmerged_leaves differ (patches/ts-mls+1.6.4.patch, RFC 9420 §7.9.2).
    const model = await startGroup(4);
    await commit(model, 1, []);
    await commit(model, 0, ['m2']);
    await commit(model, 1, []);
    await commit(model, 1, []);
    expect(model.members.size).toBe(6);
  });

  it('a member removed by a commit that puts a joiner into its leaf learns it was removed', async () => {
    // Unpatched ts-mls 1.6.4 looks for the member's own leaf after the Adds, finds the joiner
    // there and fails with an InternalError instead of reporting the removal.
    const model = await startGroup(4);
    await commit(model, 1, ['m1']);
    expect([...model.members.keys()]).toEqual(['m0', 'm2', 'm3', 'm4']);
  });

  it('random adds, removes, batches and committer hand-overs at 2 to 60 members keep everyone in agreement', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: MIN, max: MAX }),
        fc.array(step, { minLength: 3, maxLength: 10 }),
        async (size, steps) => {
          const model = await startGroup(size);
          for (const s of steps) await apply(model, s);
        },
      ),
      { numRuns: 6, endOnFailure: true },
    );
  }, 300_000);

  it('a group emptied down to two and refilled across the 32-leaf boundary stays in agreement', async () => {
    // Removes truncate the tree (RFC 9420 §7.7); the refill reuses the freed leaves, then extends.
    const model = await startGroup(40);
    const all = () => [...model.members.keys()].filter((n) => n !== model.committer);
    await commit(model, 0, all().slice(0, 40 - MIN));
    model.committer = all()[0]!;
    await commit(model, 40 - MIN, []);
    expect(model.members.size).toBe(40);
  }, 120_000);
});
