// E2EE benchmark (issue 3). Not a timed test: prints figures and ratios against baselines
// measured in the same process. Run: node --import tsx bench/e2ee.bench.ts [--quick] [--mls-1000]
//   --quick      shorter timing windows
//   --mls-1000   also build a 1000-member MLS group (slow: about a minute or more)
//   --no-mls / --no-sframe / --no-browser   skip a section
import {
  createNodeBackend,
  createWebCryptoBackend,
  GroupSession,
  type MemberIdentity,
  type PendingJoin,
} from '../packages/e2ee/src/node';
import { sframeInChromium } from './lib/e2ee-chromium';
import { sframeVsRaw, type SFrameRow } from './lib/e2ee-sframe-bench';
import { fmt, timeOnce } from './lib/e2ee-timing';

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick');

function printSFrame(title: string, rows: SFrameRow[]): void {
  console.log(`\nSFrame suite 4 (AES_128_GCM_SHA256_128) seal+open, ${title}`);
  console.log(
    '  frame      raw GCM µs wall/cpu    SFrame µs wall/cpu    ratio wall / cpu (target <= 1.2x)',
  );
  const pair = (t: { wall: number; cpu: number }) =>
    `${fmt(t.wall, 1).padStart(9)} / ${(Number.isNaN(t.cpu) ? '-' : fmt(t.cpu, 1)).padEnd(9)}`;
  for (const r of rows) {
    const cpu = Number.isNaN(r.cpuRatio) ? '-' : `${fmt(r.cpuRatio, 2)}x`;
    console.log(
      `  ${String(r.size).padStart(6)} B  ${pair(r.base)}  ${pair(r.cand)}   ${fmt(r.wallRatio, 2)}x / ${cpu}`,
    );
  }
}

const ident = (i: number): MemberIdentity => ({
  userId: `u${i}`,
  displayName: `Member ${i}`,
  deviceId: `dev${i}`,
});

interface GroupAtSize {
  a: GroupSession;
  b: GroupSession;
  size: number;
}

/** Grows the group to `target` members by batched adds; B (leaf 1) processes every commit. */
async function growTo(
  g: GroupAtSize | undefined,
  target: number,
  batch: number,
): Promise<GroupAtSize> {
  if (!g) {
    const a = await GroupSession.create(ident(0));
    const pb = await GroupSession.makeKeyPackage(ident(1));
    const { welcome } = await a.addMembers([pb.keyPackage]);
    const b = await GroupSession.joinFromWelcome(welcome, pb);
    g = { a, b, size: 2 };
  }
  while (g.size < target) {
    const n = Math.min(batch, target - g.size);
    const kps: PendingJoin[] = [];
    for (let i = 0; i < n; i++) kps.push(await GroupSession.makeKeyPackage(ident(g.size + i)));
    const { commit } = await g.a.addMembers(kps.map((k) => k.keyPackage));
    await g.b.processCommit(commit);
    g.size += n;
  }
  return g;
}

interface AddFigures {
  size: number;
  create: number;
  process: number;
  join: number;
  commit: number;
  welcome: number;
}

/** One Add that brings the group to `size` members: committer, receiver and joiner times, sizes. */
async function measureAdd(g: GroupAtSize): Promise<AddFigures> {
  const joiner = await GroupSession.makeKeyPackage(ident(g.size));
  const c = await timeOnce(() => g.a.addMembers([joiner.keyPackage]));
  const p = await timeOnce(() => g.b.processCommit(c.value.commit));
  const j = await timeOnce(() => GroupSession.joinFromWelcome(c.value.welcome, joiner));
  g.size += 1;
  return {
    size: g.size,
    create: c.ms,
    process: p.ms,
    join: j.ms,
    commit: c.value.commit.length,
    welcome: c.value.welcome.length,
  };
}

async function mlsSection(): Promise<void> {
  const targets = [10, 50, 200, ...(args.has('--mls-1000') ? [1000] : [])];
  console.log('\nMLS (ts-mls 1.6.4, suite 0x0001): one Add commit bringing the group to N members');
  console.log(
    '  (group grown by batched adds; A commits, B processes, the new member joins from the Welcome)',
  );
  let g = await growTo(undefined, 1, 1); // 2 members
  const base = await measureAdd(g); // -> 3 members: the baseline row
  const rows: AddFigures[] = [base];
  const removes: { size: number; create: number; process: number; commit: number }[] = [];
  for (const n of targets) {
    g = await growTo(g, n - 1, n >= 1000 ? 100 : 50);
    rows.push(await measureAdd(g));
    if (n === 200 || n === 1000) {
      const victim = g.a
        .members()
        .find((m) => m.leafIndex !== g.a.ownLeafIndex && m.leafIndex !== g.b.ownLeafIndex);
      if (!victim) throw new Error('no member to remove');
      const c = await timeOnce(() => g.a.removeMembers([victim.leafIndex]));
      const p = await timeOnce(() => g.b.processCommit(c.value.commit));
      removes.push({ size: g.size, create: c.ms, process: p.ms, commit: c.value.commit.length });
      g.size -= 1;
    }
  }
  console.log(
    '      N   create ms (x base)   process ms (x base)   join ms (x base)   Commit B   Welcome B (x base)',
  );
  for (const r of rows) {
    const x = (v: number, b: number) => `${fmt(v).padStart(8)} (${fmt(v / b, 1).padStart(5)}x)`;
    console.log(
      `  ${String(r.size).padStart(5)}   ${x(r.create, base.create)}    ${x(r.process, base.process)}     ${x(r.join, base.join)}  ${String(r.commit).padStart(8)}   ${String(r.welcome).padStart(8)} (${fmt(r.welcome / base.welcome, 1)}x)`,
    );
  }
  for (const r of removes) {
    console.log(
      `  one Remove at ${r.size}: create ${fmt(r.create)} ms (${fmt(r.create / base.create)}x base add), ` +
        `process ${fmt(r.process)} ms (${fmt(r.process / base.process)}x), Commit ${r.commit} B`,
    );
  }
  console.log(
    `  baseline = the Add that brings the group from 2 to 3 members, measured first in this run`,
  );
}

async function main(): Promise<void> {
  console.log(`e2ee bench — Node ${process.version}, ${QUICK ? 'quick' : 'full'} mode`);
  if (!args.has('--no-sframe')) {
    printSFrame('node:crypto backend, Node', await sframeVsRaw(createNodeBackend(), QUICK));
    printSFrame('WebCrypto backend, Node', await sframeVsRaw(createWebCryptoBackend(), QUICK));
    if (!args.has('--no-browser')) {
      try {
        printSFrame(
          'WebCrypto backend, headless Chromium page (wall only)',
          await sframeInChromium(QUICK),
        );
      } catch (e) {
        console.log(`\n(headless Chromium run skipped: ${String(e)})`);
      }
    }
  }
  if (!args.has('--no-mls')) await mlsSection();
}

await main();
