// Part of `npm run bench:e2ee-meeting` (issue 18): what E2EE costs the features that now work
// under it, as ratios of E2EE on to E2EE off in the same run (target: at most 1.5x).
//  - chat: send -> shown on the other device (real bots, real server);
//  - breakout rooms: opening 2 rooms for 10 bots -> every bot in its room (E2EE on: in its
//    room's MLS group with that room's roster, i.e. able to open its room's frames).
import type { Bot } from '../test/support/bots';
import { joinBot, waitForView } from '../test/support/bots';
import { createMeeting } from '../test/support/browser';
import type { TestServer } from '../test/support/test-server';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function chatLatency(
  server: TestServer,
  e2ee: boolean,
  rounds: number,
): Promise<number[]> {
  const m = await createMeeting(server.url);
  const host = await joinBot(server.url, m.meetingId, 'Host bot', m.hostKey);
  const other = await joinBot(server.url, m.meetingId, 'Reader');
  if (e2ee) {
    await host.room.e2ee.enable();
    await Promise.all(
      [host, other].map((b) => waitForView(b, (v) => v.local?.roster.length === 2)),
    );
  }
  const out: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const text = `bench message ${i} ${e2ee ? 'sealed' : 'plain'}`;
    const shown = new Promise<void>((resolve) => {
      const off = other.room.on('chat', ({ messages }) => {
        if (messages.some((x) => x.text === text)) {
          off();
          resolve();
        }
      });
    });
    const t0 = performance.now();
    await host.room.sendChat(text, null);
    await shown;
    out.push(performance.now() - t0);
  }
  for (const b of [host, other]) await b.room.leave();
  return out;
}

export async function breakoutMove(server: TestServer, e2ee: boolean): Promise<number> {
  const m = await createMeeting(server.url);
  const host = await joinBot(server.url, m.meetingId, 'Host bot', m.hostKey);
  const bots: Bot[] = [];
  for (let i = 0; i < 10; i++) bots.push(await joinBot(server.url, m.meetingId, `Bot ${i}`));
  if (e2ee) {
    await host.room.e2ee.enable();
    await Promise.all(
      [host, ...bots].map((b) => waitForView(b, (v) => v.local?.roster.length === 11, 60_000)),
    );
    // Devices upload a spare KeyPackage after joining (a host assigns rooms seconds later).
    await Promise.all([host, ...bots].map((b) => b.room.e2ee.spareUploaded));
  }
  const moved = bots.map(
    (b) =>
      new Promise<void>((resolve) => {
        const off = b.room.on('breakoutMoved', (room) => {
          if (room === null) return;
          off();
          resolve();
        });
      }),
  );
  const t0 = performance.now();
  await host.room.openBreakouts({ rooms: [{ name: 'A' }, { name: 'B' }] });
  await Promise.all(moved);
  if (e2ee)
    await Promise.all(
      bots.map((b) =>
        waitForView(
          b,
          (v) =>
            v.local?.inGroup === true &&
            v.local.roster.length ===
              bots.filter(
                (x) =>
                  b.room.breakouts.assignments[x.room.selfId!] ===
                  b.room.breakouts.assignments[b.room.selfId!],
              ).length,
          60_000,
        ),
      ),
    );
  const ms = performance.now() - t0;
  for (const b of [host, ...bots]) await b.room.leave();
  return ms;
}

export async function featuresBench(server: TestServer, rounds: number): Promise<void> {
  const off = await chatLatency(server, false, rounds * 5);
  const on = await chatLatency(server, true, rounds * 5);
  console.log(
    `chat send -> shown: E2EE off median ${median(off).toFixed(1)} ms, on ${median(on).toFixed(1)} ms; ` +
      `ratio ${(median(on) / median(off)).toFixed(2)}x (target <= 1.5x)`,
  );
  const moveOff: number[] = [];
  const moveOn: number[] = [];
  for (let i = 0; i < rounds; i++) {
    moveOff.push(await breakoutMove(server, false));
    moveOn.push(await breakoutMove(server, true));
  }
  console.log(
    `10 bots into 2 breakout rooms: E2EE off median ${median(moveOff).toFixed(0)} ms (${moveOff.map((x) => x.toFixed(0)).join(', ')}), ` +
      `on ${median(moveOn).toFixed(0)} ms (${moveOn.map((x) => x.toFixed(0)).join(', ')}) [on = every bot in its room's MLS group]; ` +
      `ratio ${(median(moveOn) / median(moveOff)).toFixed(2)}x (target <= 1.5x)`,
  );
}
