import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';
import type { Browser, Page } from 'puppeteer-core';

/**
 * Debian's Firefox ESR driven over WebDriver BiDi (puppeteer-core, no browser download): fake
 * camera and microphone, loopback ICE, no permission prompts.
 */
export interface FirefoxParticipant {
  browser: Browser;
  page: Page;
  name: string;
  /** Uncaught errors and console errors of the page. */
  errors: string[];
  close(): Promise<void>;
}

export async function launchFirefox(name: string): Promise<FirefoxParticipant> {
  const profile = mkdtempSync(join(tmpdir(), 'conclave-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: {
      'media.navigator.streams.fake': true,
      'media.navigator.permission.disabled': true,
      'media.peerconnection.ice.loopback': true,
      'media.peerconnection.ice.obfuscate_host_addresses': false,
      'media.autoplay.default': 0,
      'media.autoplay.blocking_policy': 0,
    },
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push((err as Error).message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return {
    browser,
    page,
    name,
    errors,
    close: async () => {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Polls `check` in the page from Node (each call a WebDriver BiDi script call): waitForFunction
 * would build its poller with eval, which the app's CSP (script-src 'self') refuses.
 */
async function until(page: Page, check: (arg: string) => boolean, arg: string, timeout: number) {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(check, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${arg}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Clicks the enabled button whose name is `text` (aria-label or text, trimmed). */
export async function clickButton(page: Page, text: string, timeout = 15_000): Promise<void> {
  const find = (t: string) =>
    [...document.querySelectorAll('button')].some(
      (b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === t && !b.disabled,
    );
  await until(page, find, text, timeout);
  await page.evaluate((t) => {
    [...document.querySelectorAll('button')]
      .find((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim() === t)!
      .click();
  }, text);
}

/** Waits until the page's text contains `text`. */
export async function waitForText(page: Page, text: string, timeout = 15_000): Promise<void> {
  await until(page, (t) => document.body.innerText.includes(t), text, timeout);
}

/** Opens the invite link, types a name and joins; resolves when the toolbar is there. */
export async function joinInFirefox(p: FirefoxParticipant, url: string): Promise<void> {
  await p.page.goto(url);
  await p.page.waitForSelector('input', { timeout: 20_000 });
  await p.page.type('input', p.name);
  await clickButton(p.page, 'Join now');
  await p.page.waitForSelector('nav[aria-label="Meeting controls"]', { timeout: 30_000 });
}
