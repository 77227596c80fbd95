import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, canonicalJson, entryHash, verifyChain } from './audit-chain';
import type { AuditEntry } from './audit-chain';

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = {
      seq,
      at: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
      actorKind: 'user',
      actorId: 'u1',
      action: 'request.viewed',
      entity: 'request',
      entityId: 'r1',
      requestId: 'r1',
      detail: canonicalJson({ n: seq }),
    };
    const hash = entryHash(prev, e);
    out.push({ ...e, prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('audit chain', () => {
  it('canonical JSON sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, 'x'], c: null }, e: undefined })).toBe(
      '{"a":{"c":null,"d":[1,"x"]},"b":1}',
    );
  });

  it('an untouched chain verifies and reports its head', async () => {
    const c = chain(5);
    expect(await verifyChain(c, { seq: 5, hash: c[4]!.hash })).toEqual({
      ok: true,
      entries: 5,
      head: c[4]!.hash,
    });
  });

  it('a changed detail is reported at that entry', async () => {
    const c = chain(5);
    c[2] = { ...c[2]!, detail: '{"n":99}' };
    expect(await verifyChain(c)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('a removed entry is reported where the gap starts', async () => {
    const c = chain(5);
    c.splice(1, 1);
    expect(await verifyChain(c)).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });

  it('a recomputed hash does not hide the change: the next entry no longer links', async () => {
    const c = chain(4);
    const forged = { ...c[1]!, actorId: 'someone-else' };
    forged.hash = entryHash(forged.prevHash, forged);
    c[1] = forged;
    expect(await verifyChain(c)).toMatchObject({ ok: false, firstBrokenSeq: 3 });
  });

  it('dropping the newest entries is caught by the stored head', async () => {
    const c = chain(4);
    expect(await verifyChain(c.slice(0, 3), { seq: 4, hash: c[3]!.hash })).toMatchObject({
      ok: false,
      firstBrokenSeq: 4,
    });
  });
});
