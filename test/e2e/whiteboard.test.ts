import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  joinMeeting,
  newParticipant,
  turnOnE2ee,
  waitForE2eeShield,
} from '../support/browser';
import type { Participant } from '../support/browser';
import { hostWithGuests, serverAndChromium } from '../support/browser-suite';

const items = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { conclave: { room: { whiteboard: { elements: unknown[] } } } })
        .conclave.room.whiteboard.elements.length,
  );

/** Non-white pixels on the board canvas: what a person would see drawn. */
const inkedPixels = (page: Page) =>
  page.getByTestId('whiteboard-canvas').evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4)
      if (d[i]! < 200 || d[i + 1]! < 200 || d[i + 2]! < 200) n++;
    return n;
  });

describe('the whiteboard in real browsers', () => {
  const suite = serverAndChromium();
  let host: Participant;
  let bob: Participant;
  let invite: string;

  beforeAll(async () => {
    ({
      host,
      invite,
      guests: [bob],
    } = await hostWithGuests(suite, ['Bob']));
  });

  it('a stroke drawn by one participant appears for the other', async () => {
    await host.page.getByRole('button', { name: 'Whiteboard' }).click();
    await bob.page.getByRole('button', { name: 'Whiteboard' }).click();
    const box = (await host.page.getByTestId('whiteboard-canvas').boundingBox())!;
    await host.page.mouse.move(box.x + 40, box.y + 40);
    await host.page.mouse.down();
    for (let i = 1; i <= 10; i++)
      await host.page.mouse.move(box.x + 40 + i * 15, box.y + 40 + i * 8);
    await host.page.mouse.up();
    await eventually(
      () => items(bob.page),
      (n) => n === 1,
      5000,
    );
    expect(
      await eventually(
        () => inkedPixels(bob.page),
        (n) => n > 50,
        5000,
      ),
    ).toBeGreaterThan(50);
  });

  it('a late joiner sees what is already on the board', async () => {
    const carol = await newParticipant(suite.browser, 'Carol');
    await joinMeeting(carol, invite);
    await carol.page.getByRole('button', { name: 'Whiteboard' }).click();
    await eventually(
      () => items(carol.page),
      (n) => n === 1,
      5000,
    );
    expect(await inkedPixels(carol.page)).toBeGreaterThan(50);
    await carol.context.close();
  });

  it('undo removes your own last change everywhere; the host can clear', async () => {
    await bob.page.getByRole('button', { name: 'Rectangle' }).click();
    const box = (await bob.page.getByTestId('whiteboard-canvas').boundingBox())!;
    await bob.page.mouse.move(box.x + 100, box.y + 100);
    await bob.page.mouse.down();
    await bob.page.mouse.move(box.x + 200, box.y + 160);
    await bob.page.mouse.up();
    await eventually(
      () => items(host.page),
      (n) => n === 2,
      5000,
    );
    await bob.page.getByRole('button', { name: 'Undo' }).click();
    await eventually(
      () => items(host.page),
      (n) => n === 1,
      5000,
    );
    await expect(bob.page.getByRole('button', { name: 'Clear' }).count()).resolves.toBe(0);
    await host.page.getByRole('button', { name: 'Clear' }).click();
    await eventually(
      () => items(bob.page),
      (n) => n === 0,
      5000,
    );
  });

  it('an oversized or malformed update is refused with an error, and nobody else is disturbed', async () => {
    const replies = await bob.page.evaluate(async () => {
      const signal = (
        window as unknown as {
          conclave: { room: { signal: { request(m: object): Promise<unknown> } } };
        }
      ).conclave.room.signal;
      const ask = (m: object) =>
        signal.request(m).then(
          () => 'accepted',
          (e: Error & { code?: string }) => `${e.code}: ${e.message}`,
        );
      return [
        await ask({ type: 'whiteboard.update', update: 'A'.repeat(200_000) }),
        await ask({ type: 'whiteboard.update', update: btoa('not a yjs update at all') }),
      ];
    });
    expect(replies[0]).toMatch(/^MESSAGE_MALFORMED: That whiteboard change is too large/);
    expect(replies[1]).toMatch(/^MESSAGE_MALFORMED: That whiteboard change could not be read/);
    const box = (await host.page.getByTestId('whiteboard-canvas').boundingBox())!;
    await host.page.getByRole('button', { name: 'Pen' }).click();
    await host.page.mouse.move(box.x + 60, box.y + 60);
    await host.page.mouse.down();
    await host.page.mouse.move(box.x + 160, box.y + 90);
    await host.page.mouse.up();
    await eventually(
      () => items(bob.page),
      (n) => n === 1,
      5000,
    );
  });

  it('with E2EE on the board stays in use, sealed: a change reaches the other, a late joiner gets the drawing, plaintext is refused', async () => {
    await turnOnE2ee(host);
    await waitForE2eeShield(bob);
    await bob.page
      .getByTestId('whiteboard-e2ee')
      .filter({ hasText: 'End-to-end encrypted' })
      .waitFor();
    const box = (await bob.page.getByTestId('whiteboard-canvas').boundingBox())!;
    await bob.page.getByRole('button', { name: 'Pen' }).click();
    await bob.page.mouse.move(box.x + 30, box.y + 120);
    await bob.page.mouse.down();
    await bob.page.mouse.move(box.x + 200, box.y + 150);
    await bob.page.mouse.up();
    await eventually(
      () => items(host.page),
      (n) => n === 2,
      5000,
    );
    const carol = await newParticipant(suite.browser, 'Carol');
    await joinMeeting(carol, invite);
    await waitForE2eeShield(carol);
    await carol.page.getByRole('button', { name: 'Whiteboard' }).click();
    await eventually(
      () => items(carol.page),
      (n) => n === 2,
      10_000,
    );
    await eventually(
      () => inkedPixels(carol.page),
      (n) => n > 50,
      5000,
    );
    const reply = await bob.page.evaluate(async () => {
      const signal = (
        window as unknown as {
          conclave: { room: { signal: { request(m: object): Promise<unknown> } } };
        }
      ).conclave.room.signal;
      return signal.request({ type: 'whiteboard.update', update: 'AAAA' }).then(
        () => 'accepted',
        (e: Error & { code?: string }) => e.code,
      );
    });
    expect(reply).toBe('E2EE_FEATURE_UNAVAILABLE');
  });
});
