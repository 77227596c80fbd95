import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMeeting, newParticipant } from '../support/browser';
import type { Participant } from '../support/browser';
import { serverAndChromium } from '../support/browser-suite';

// Keyboard only (issue 17): join → mute → chat → leave with Tab, Enter and Escape, every stop
// showing a visible focus ring. No mouse anywhere in this file.

/** Presses Tab until the focused control is called `name`; fails after `max` presses. */
async function tabTo(page: Page, name: string, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const style = getComputedStyle(el);
      return {
        name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
        ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1,
      };
    });
    if (focused?.name === name) {
      expect(focused.ring, `${name} shows where the focus is`).toBe(true);
      return;
    }
  }
  throw new Error(`${name} was not reached with Tab`);
}

describe('keyboard only: join, mute, chat, leave', () => {
  const suite = serverAndChromium();
  let kim: Participant;

  beforeAll(async () => {
    kim = await newParticipant(suite.browser, 'Kim');
    await kim.page.setViewportSize({ width: 1280, height: 800 });
    // A browser that cannot share a screen (as on phones): no Share screen button at all.
    await kim.context.addInitScript(() => {
      delete (MediaDevices.prototype as { getDisplayMedia?: unknown }).getDisplayMedia;
    });
  });

  it('a person who uses only the keyboard gets through a meeting', async () => {
    const { meetingId } = await createMeeting(suite.server.url);
    const page = kim.page;
    await page.goto(`${suite.server.url}/m/${meetingId}`);
    await page.getByLabel('Your name').waitFor();
    // The name field has the focus when the page opens.
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('INPUT');
    await page.keyboard.type('Kim Keys');
    await tabTo(page, 'Join now');
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Meeting controls' }).waitFor({ timeout: 20_000 });

    await expect(page.getByRole('button', { name: 'Share screen' }).count()).resolves.toBe(0);
    await tabTo(page, 'Mute');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Unmute' }).waitFor();
    await page.getByTestId('announcer').filter({ hasText: 'Microphone muted.' }).waitFor();

    await tabTo(page, 'Chat');
    await page.keyboard.press('Enter');
    await page.getByRole('complementary', { name: 'Chat' }).waitFor();
    // The message field takes the focus when the chat opens.
    await expect(page.evaluate(() => document.activeElement?.tagName)).resolves.toBe('TEXTAREA');
    await page.keyboard.type('typed without a mouse');
    await page.keyboard.press('Enter');
    await page.getByTestId('chat-message').filter({ hasText: 'typed without a mouse' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('complementary', { name: 'Chat' }).waitFor({ state: 'detached' });

    await tabTo(page, 'Leave');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'You left the meeting' }).waitFor();
  });
});
