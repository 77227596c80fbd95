// Part of `npm run bench:e2ee-meeting` (issue 18): chat from typing to the other person's screen,
// in real browsers (the product: React app, E2EE Worker, WebCrypto), E2EE off vs on.
//
// Two headless Chromiums in one meeting, both with the chat panel open. The host types "ping N"
// and presses Enter; Bob's page answers "pong N" as soon as the ping is in its chat list (its
// own client API, no typing); the host's page timestamps the Enter key (a capturing keydown
// listener) and the pong appearing in its chat list (a MutationObserver). One page's clock, so
// no cross-process clock offset: the figure is there and back, i.e. two sends each sealed and
// opened under E2EE, and two renders. Paced messages (`--browser-chat-gap`, default 300 ms:
// what a person typing leaves between messages), 5 uncounted warm-up messages per block,
// E2EE off and on blocks alternating twice.
import type { Page } from 'playwright-core';
import { turnOffE2ee, turnOnE2ee, waitForE2eeShield } from '../../test/support/browser';
import type { Participant } from '../../test/support/browser';
import { withTwoInBrowsers } from './two-in-browsers';

const WARMUP = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const quantile = (xs: number[], q: number) =>
  sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;

/** Bob's page answers every "ping N" that appears in its chat list with "pong N". */
async function installResponder(page: Page): Promise<void> {
  await page.evaluate(() => {
    const room = (
      window as unknown as {
        conclave: { room: { sendChat(text: string, to: null): Promise<void> } };
      }
    ).conclave.room;
    const seen = new Set<string>();
    // The whole page: the chat list may be rendered anew when E2EE turns on or off.
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('.chat-list .chat-text')) {
        const m = /^ping (\d+)$/.exec(el.textContent ?? '');
        if (!m || seen.has(m[1]!)) continue;
        seen.add(m[1]!);
        void room.sendChat(`pong ${m[1]}`, null);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

/** The host's page: when Enter was pressed for ping N, and when pong N was shown. */
async function installTimer(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as {
      chatBench: { sent: Map<string, number>; shown: Map<string, number>; next: string };
    };
    w.chatBench = { sent: new Map(), shown: new Map(), next: '' };
    document.addEventListener(
      'keydown',
      (e) => {
        if (e.key === 'Enter') w.chatBench.sent.set(w.chatBench.next, performance.now());
      },
      { capture: true },
    );
    new MutationObserver(() => {
      const at = performance.now();
      for (const el of document.querySelectorAll('.chat-list .chat-text')) {
        const m = /^pong (\d+)$/.exec(el.textContent ?? '');
        if (m && !w.chatBench.shown.has(m[1]!)) w.chatBench.shown.set(m[1]!, at);
      }
    }).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

/** One ping typed by the host; ms from Enter to the pong on the host's screen. */
async function roundTrip(host: Page, n: number): Promise<number> {
  const id = String(n);
  await host.evaluate((i) => {
    (window as unknown as { chatBench: { next: string } }).chatBench.next = i;
  }, id);
  const box = host.getByLabel('Message');
  await box.fill(`ping ${id}`);
  await box.press('Enter');
  const handle = await host.waitForFunction(
    (i) => {
      const b = (
        window as unknown as {
          chatBench: { sent: Map<string, number>; shown: Map<string, number> };
        }
      ).chatBench;
      const sent = b.sent.get(i);
      const shown = b.shown.get(i);
      return sent !== undefined && shown !== undefined ? shown - sent : false;
    },
    id,
    { polling: 'raf', timeout: 10_000 },
  );
  return (await handle.jsonValue()) as number;
}

async function openChat(p: Participant): Promise<void> {
  await p.page.getByRole('button', { name: /^Chat/ }).first().click();
  await p.page.getByLabel('Message').waitFor();
}

async function block(host: Page, first: number, count: number, gapMs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < WARMUP + count; i++) {
    const ms = await roundTrip(host, first + i);
    if (i >= WARMUP) out.push(ms);
    await sleep(gapMs);
  }
  return out;
}

/** Prints the browser chat row: there-and-back medians and p90s, E2EE on / off. */
export async function browserChatBench(perBlock: number, gapMs: number): Promise<void> {
  await withTwoInBrowsers(async ({ host, bob }) => {
    await Promise.all([openChat(host), openChat(bob)]);
    await installResponder(bob.page);
    await installTimer(host.page);
    const off: number[] = [];
    const on: number[] = [];
    let n = 0;
    for (let r = 0; r < 2; r++) {
      off.push(...(await block(host.page, n, perBlock, gapMs)));
      n += WARMUP + perBlock;
      await turnOnE2ee(host);
      await Promise.all([waitForE2eeShield(host), waitForE2eeShield(bob)]);
      await sleep(1500);
      on.push(...(await block(host.page, n, perBlock, gapMs)));
      n += WARMUP + perBlock;
      await turnOffE2ee(host, [bob]);
      await sleep(1500);
    }
    const f1 = (x: number) => x.toFixed(1);
    const [mOff, mOn, pOff, pOn] = [
      quantile(off, 0.5),
      quantile(on, 0.5),
      quantile(off, 0.9),
      quantile(on, 0.9),
    ];
    console.log(
      `browsers: chat typed -> shown, there and back (Enter on one screen to the answer on it, ` +
        `${off.length} messages each, ${gapMs} ms apart): E2EE off median ${f1(mOff)} ms, p90 ` +
        `${f1(pOff)}; on median ${f1(mOn)} ms, p90 ${f1(pOn)}; ratio median ` +
        `${(mOn / mOff).toFixed(2)}x, p90 ${(pOn / pOff).toFixed(2)}x (target <= 1.5x)`,
    );
  });
}
