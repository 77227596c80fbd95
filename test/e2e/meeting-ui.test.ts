import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { joinBot } from '../support/bots';
import type { Bot } from '../support/bots';
import {
  eventually,
  hostNewMeeting,
  joinMeeting,
  newParticipant,
  turnOnE2ee,
  waitForE2eeShield,
  chooseEndForAll,
  offersEndForAll,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { serverAndChromium } from '../support/browser-suite';
import {
  axeSerious,
  consoleErrors,
  drawnPicture,
  keepScreenshot,
  tileBoxes,
} from '../support/ui-checks';
import type { TileBox } from '../support/ui-checks';

// The meeting room as a user sees it (issue 17): tiles that keep each picture whole and fit the
// screen, toasts that do not pile up or contradict the state, confirmations before destructive
// host actions, a one-row toolbar on a phone, no console errors and no serious axe violations.
// Two Chromium pages (host and Bob, whose 320x240 camera is 4:3) plus signaling-only bots make
// up the larger meetings, which keeps the test within two cores.
describe('the meeting room layout, notices and controls', () => {
  const suite = serverAndChromium();
  let host: Participant;
  let bob: Participant;
  let invite: string;
  let hostErrors: string[];
  const bots: Bot[] = [];

  beforeAll(async () => {
    host = await newParticipant(suite.browser, 'Hana Host');
    await host.page.setViewportSize({ width: 1280, height: 800 });
    hostErrors = consoleErrors(host.page);
    invite = await hostNewMeeting(host, suite.server.url);
    bob = await newParticipant(suite.browser, 'Bob');
    await joinMeeting(bob, invite);
  });

  afterAll(async () => {
    for (const b of bots) await b.room.leave().catch(() => undefined);
  });

  const meetingId = () => invite.split('/m/')[1]!;

  /** The layout rules, checked on what the page drew. Returns the problems found. */
  async function layoutProblems(p: Participant, n: number): Promise<string[]> {
    const problems: string[] = [];
    const tiles = await tileBoxes(p.page);
    const view = p.page.viewportSize()!;
    const bar = await p.page.getByRole('navigation', { name: 'Meeting controls' }).boundingBox();
    if (tiles.length !== n) problems.push(`${tiles.length} tiles, expected ${n}`);
    for (const t of tiles) {
      const name = t.id ?? '?';
      if (t.x < -1 || t.y < -1 || t.x + t.width > view.width + 1)
        problems.push(`${name} outside the viewport`);
      if (bar && t.y + t.height > bar.y + 1) problems.push(`${name} under the toolbar`);
      if (Math.abs(t.width / t.height / (16 / 9) - 1) > 0.02)
        problems.push(`${name} tile is ${Math.round(t.width)}x${Math.round(t.height)}, not 16:9`);
      if (t.video && t.video.videoWidth > 0) {
        const drawn = drawnPicture(t.video);
        const frame = t.video.videoWidth / t.video.videoHeight;
        if (drawn.visible < 0.999) problems.push(`${name} video cropped to ${drawn.visible}`);
        if (Math.abs(drawn.aspect / frame - 1) > 0.02) problems.push(`${name} video stretched`);
      }
    }
    return problems;
  }

  async function expectLayout(p: Participant, n: number, what: string): Promise<TileBox[]> {
    const problems = await eventually(
      () => layoutProblems(p, n),
      (x) => x.length === 0,
      15_000,
    );
    expect(problems, what).toEqual([]);
    return tileBoxes(p.page);
  }

  it('three people at 1280x800: landscape tiles, the pictures whole (letterboxed), nothing off screen', async () => {
    bots.push(await joinBot(suite.server.url, meetingId(), 'Bot 1'));
    const tiles = await expectLayout(host, 3, '3 people at 1280x800');
    const grid = tiles.filter((t) => t.width > 300);
    expect(grid.length).toBe(2);
    for (const t of grid) expect(t.width).toBeGreaterThan(t.height);
    const bobTile = tiles.find((t) => t.video && t.video.videoWidth === 320);
    expect(bobTile, "Bob's 4:3 camera is shown").toBeDefined();
    expect(drawnPicture(bobTile!.video!).visible).toBe(1);
    await keepScreenshot(host.page, 'meeting-3-1280x800');
  });

  it('2, 4, 6 and 9 people at 1280x800 and 1920x1080, with and without a panel open', async () => {
    for (const n of [2, 4, 6, 9]) {
      while (bots.length + 2 < n)
        bots.push(await joinBot(suite.server.url, meetingId(), `Bot ${bots.length + 1}`));
      while (bots.length + 2 > n) await bots.pop()!.room.leave();
      for (const size of [
        { width: 1280, height: 800 },
        { width: 1920, height: 1080 },
      ]) {
        await host.page.setViewportSize(size);
        await expectLayout(host, n, `${n} people at ${size.width}x${size.height}`);
        await host.page.getByRole('button', { name: /^Participants/ }).click();
        await host.page.getByRole('complementary', { name: 'Participants' }).waitFor();
        await expectLayout(host, n, `${n} people at ${size.width}x${size.height}, panel open`);
        if (n === 9 && size.width === 1280) await keepScreenshot(host.page, 'meeting-9-panel');
        await host.page.getByRole('button', { name: 'Close participants' }).click();
      }
    }
    await host.page.setViewportSize({ width: 1280, height: 800 });
  });

  it('speaker view and pin show one person large, still whole; the self-view can be hidden', async () => {
    await host.page.getByRole('button', { name: /Speaker/ }).click();
    const bobId = await bob.page.evaluate(
      () => (window as unknown as { conclave: { room: { selfId: string } } }).conclave.room.selfId,
    );
    const featured = host.page.locator('[data-testid="tile"].featured');
    await featured.waitFor();
    await host.page.getByRole('button', { name: /Gallery/ }).click();
    await host.page.locator(`[data-testid="tile"][data-participant-id="${bobId}"]`).hover();
    await host.page.getByRole('button', { name: 'Pin Bob' }).click();
    await host.page
      .locator(`[data-testid="tile"].featured[data-participant-id="${bobId}"]`)
      .waitFor();
    const big = (await tileBoxes(host.page)).find((t) => t.id === bobId)!;
    expect(big.width).toBeGreaterThan(700);
    expect(drawnPicture(big.video!).visible).toBe(1);
    await keepScreenshot(host.page, 'meeting-pinned');
    await host.page.getByRole('button', { name: 'Unpin Bob' }).click();
    await host.page.getByRole('button', { name: 'Hide self-view' }).click();
    await host.page.getByRole('button', { name: 'Show self-view' }).click();
    await host.page.getByRole('button', { name: 'Hide self-view' }).waitFor();
  });

  it('the host spotlights Bob for everyone; Bob raises a hand and claps; the host sees both', async () => {
    const bobId = await bob.page.evaluate(
      () => (window as unknown as { conclave: { room: { selfId: string } } }).conclave.room.selfId,
    );
    await host.page.getByRole('button', { name: /^Participants/ }).click();
    await host.page.getByRole('button', { name: 'Spotlight Bob for everyone' }).click();
    for (const p of [host, bob])
      await p.page
        .locator(`[data-testid="tile"].featured[data-participant-id="${bobId}"]`)
        .waitFor({ timeout: 5000 });
    await keepScreenshot(host.page, 'meeting-spotlight');
    await host.page.getByRole('button', { name: 'Remove the spotlight from Bob' }).click();
    await bob.page
      .locator(`[data-testid="tile"].featured[data-participant-id="${bobId}"]`)
      .waitFor({ state: 'detached', timeout: 5000 });
    await host.page.getByRole('button', { name: 'Close participants' }).click();
    await bob.page.getByRole('button', { name: 'Raise hand' }).click();
    await bob.page.getByRole('button', { name: 'Lower hand' }).waitFor();
    await host.page.getByTestId('toast').filter({ hasText: 'Bob raised their hand.' }).waitFor();
    await host.page
      .locator(`[data-testid="tile"][data-participant-id="${bobId}"]`)
      .getByRole('img', { name: 'Hand raised' })
      .waitFor();
    await bob.page.getByRole('button', { name: 'React' }).click();
    await bob.page.getByRole('menuitem', { name: 'Applause' }).click();
    await host.page.getByRole('img', { name: 'Bob: Applause' }).waitFor({ timeout: 5000 });
    await bob.page.keyboard.press('Control+Alt+h');
    await bob.page.getByRole('button', { name: 'Raise hand' }).waitFor();
  });

  it('Remove asks first; Cancel keeps the person, Remove removes them', async () => {
    const victim = bots.at(-1)!;
    await host.page.getByRole('button', { name: /^Participants/ }).click();
    await host.page.getByRole('button', { name: `Remove ${victim.name}` }).click();
    const dialog = host.page.getByRole('alertdialog', {
      name: `Remove ${victim.name} from the meeting?`,
    });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await new Promise((r) => setTimeout(r, 500));
    expect(victim.room.selfId).toBeDefined();
    await host.page.getByRole('listitem').filter({ hasText: victim.name }).waitFor();
    await host.page.getByRole('button', { name: `Remove ${victim.name}` }).click();
    await dialog.getByRole('button', { name: 'Remove', exact: true }).click();
    await host.page
      .getByRole('listitem')
      .filter({ hasText: victim.name })
      .waitFor({ state: 'detached', timeout: 5000 });
    bots.pop();
    await host.page.getByRole('button', { name: 'Close participants' }).click();
  });

  it('notices: after E2EE on and off, one toast on the subject, saying off; the history has both', async () => {
    while (bots.length > 0) await bots.pop()!.room.leave();
    await turnOnE2ee(host);
    await waitForE2eeShield(bob);
    await bob.page
      .getByTestId('toast')
      .filter({ hasText: 'Hana Host turned on end-to-end encryption.' })
      .waitFor({ timeout: 10_000 });
    await host.page.getByRole('button', { name: 'More' }).click();
    await host.page.getByRole('menuitem', { name: 'Turn off end-to-end encryption' }).click();
    await bob.page.getByTestId('shield').filter({ hasText: 'Encrypted in transit' }).waitFor();
    await bob.page
      .getByTestId('toast')
      .filter({ hasText: 'Hana Host turned off end-to-end encryption.' })
      .waitFor({ timeout: 10_000 });
    const texts = await bob.page.getByTestId('toast').allTextContents();
    expect(
      texts.filter((t) => /end-to-end encryption\./.test(t) && /turned (on|off)/.test(t)),
    ).toHaveLength(1);
    expect(texts.some((t) => t.includes('turned on end-to-end'))).toBe(false);
    await keepScreenshot(bob.page, 'toasts-e2ee-off');
    await bob.page.getByRole('button', { name: 'Notifications' }).click();
    const history = bob.page.getByTestId('notice-history');
    await history.getByText('Hana Host turned on end-to-end encryption.').waitFor();
    await history.getByText('Hana Host turned off end-to-end encryption.').waitFor();
    await bob.page.getByRole('button', { name: 'Close notifications' }).click();
    // A toast under the pointer stays while it is read (longer than its 15 s), then goes by itself.
    const off = bob.page.getByTestId('toast').filter({ hasText: 'turned off end-to-end' });
    await off.hover();
    await new Promise((r) => setTimeout(r, 16_000));
    await expect(off.isVisible()).resolves.toBe(true);
    await bob.page.mouse.move(5, 400);
    await off.waitFor({ state: 'detached', timeout: 8000 });
  });

  it('keyboard: Ctrl+D mutes and the state is announced; Escape closes a panel', async () => {
    await bob.page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await bob.page.keyboard.press('Control+d');
    await bob.page.getByRole('button', { name: 'Unmute' }).waitFor();
    await bob.page.getByTestId('announcer').filter({ hasText: 'Microphone muted.' }).waitFor();
    await bob.page.keyboard.press('Control+d');
    await bob.page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await bob.page.getByRole('button', { name: 'Chat', exact: true }).click();
    await bob.page.getByRole('complementary', { name: 'Chat' }).waitFor();
    await bob.page.locator('body').press('Escape');
    await bob.page.getByRole('complementary', { name: 'Chat' }).waitFor({ state: 'detached' });
  });

  it('the meeting page, with chat and the security panel open, has no serious axe violations', async () => {
    expect(await axeSerious(host.page), 'meeting').toEqual([]);
    await host.page.getByRole('button', { name: 'Chat', exact: true }).click();
    expect(await axeSerious(host.page), 'chat').toEqual([]);
    await host.page.getByTestId('shield').click();
    expect(await axeSerious(host.page), 'security panel').toEqual([]);
    await host.page.getByRole('button', { name: 'Close security' }).click();
  });

  it('on a 390x844 phone the toolbar is one row, the rest is under More, and the panel overlays', async () => {
    await bob.page.setViewportSize({ width: 390, height: 844 });
    const bar = bob.page.getByRole('navigation', { name: 'Meeting controls' });
    await bar.getByRole('button', { name: 'Leave' }).waitFor();
    const measure = () =>
      bar.evaluate((nav) => {
        const tops = [...nav.querySelectorAll('button')]
          .filter((b) => b.offsetParent !== null)
          .map((b) =>
            Math.round(b.getBoundingClientRect().top + b.getBoundingClientRect().height / 2),
          );
        return { tops, overflow: nav.scrollWidth - nav.clientWidth };
      });
    // The layout follows the resize (a media query), so measure once it has settled.
    const rows = await eventually(
      measure,
      (r) => r.overflow <= 0 && Math.max(...r.tops) - Math.min(...r.tops) <= 4,
      5000,
    );
    expect(Math.max(...rows.tops) - Math.min(...rows.tops)).toBeLessThanOrEqual(4);
    expect(rows.overflow).toBeLessThanOrEqual(0);
    await expectLayout(bob, 2, 'phone');
    const before = await tileBoxes(bob.page);
    await bar.getByRole('button', { name: 'More' }).click();
    await bob.page.getByRole('menuitem', { name: 'Whiteboard' }).waitFor();
    await bob.page.keyboard.press('Escape');
    await bar.getByRole('button', { name: /^Participants/ }).click();
    await bob.page.getByRole('complementary', { name: 'Participants' }).waitFor();
    const after = await tileBoxes(bob.page);
    expect(after.map((t) => Math.round(t.width))).toEqual(before.map((t) => Math.round(t.width)));
    await keepScreenshot(bob.page, 'phone-participants');
    expect(await axeSerious(bob.page), 'phone').toEqual([]);
  });

  it('the host toolbar stays one row without overflow from 1920 px down to a phone', async () => {
    const bar = host.page.getByRole('navigation', { name: 'Meeting controls' });
    for (const width of [1920, 1280, 1200, 1100, 900, 700, 390]) {
      await host.page.setViewportSize({ width, height: 800 });
      const row = await eventually(
        () =>
          bar.evaluate((nav) => {
            const mids = [...nav.querySelectorAll('button')]
              .filter((b) => b.offsetParent !== null)
              .map((b) => {
                const r = b.getBoundingClientRect();
                return Math.round(r.top + r.height / 2);
              });
            return {
              spread: Math.max(...mids) - Math.min(...mids),
              overflow: nav.scrollWidth - nav.clientWidth,
            };
          }),
        (r) => r.spread <= 4 && r.overflow <= 0,
        5000,
      );
      expect(row.spread, `one row at ${width} px`).toBeLessThanOrEqual(4);
      expect(row.overflow, `no overflow at ${width} px`).toBeLessThanOrEqual(0);
    }
    await host.page.setViewportSize({ width: 1280, height: 800 });
  });

  it('End meeting for all is in the host’s Leave menu and asks first; no console errors were logged along the way', async () => {
    await expect(offersEndForAll(bob)).resolves.toBe(false);
    await chooseEndForAll(host);
    const dialog = host.page.getByRole('alertdialog', { name: 'End the meeting for everyone?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await chooseEndForAll(host);
    await dialog.getByRole('button', { name: 'End meeting for all' }).click();
    await bob.page
      .getByRole('heading', { name: 'This meeting has ended' })
      .waitFor({ timeout: 10_000 });
    expect(hostErrors).toEqual([]);
  });
});
