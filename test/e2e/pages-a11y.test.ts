import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { CHROMIUM_ARGS, createMeeting, launchChromium, newParticipant } from '../support/browser';
import type { Participant } from '../support/browser';
import {
  createAgency,
  createUser,
  createVerifiedRequester,
  requesterClient,
  validSubmission,
} from '../support/legal-fixtures';
import { enrolledTotp, nextTotpCode } from '../support/totp-codes';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { axeSerious, consoleErrors, keepScreenshot } from '../support/ui-checks';

// Every screen outside the meeting room (issue 17): no serious or critical axe-core violations,
// no console errors for a signed-out visitor, the pre-join fits 1280x800, the admin forms save
// explicitly, and the app is installable (manifest + service worker, read through DevTools).
const PASSWORD = 'correct horse battery';

describe('pages: accessibility, pre-join, admin forms, installable app', () => {
  let server: TestServer;
  let browser: Browser;
  let visitor: Participant;
  let owner: Participant;
  let staff: Participant;
  let visitorErrors: string[];

  beforeAll(async () => {
    server = await startTestServer({
      legal: { allowedEmailDomains: ['example.gov'], schedulerIntervalSeconds: 3600 },
    });
    const op = await createAccountWithOwner(server.stores, {
      name: 'Operator',
      ownerEmail: 'owner@operator.test',
      ownerName: 'Olga Owner',
      ownerPassword: PASSWORD,
      plan: 'business',
    });
    await createUser(server.stores, op.accountId, 'legal_admin', 'carl@operator.test', PASSWORD);
    browser = await launchChromium();
    visitor = await newParticipant(browser, 'Visitor');
    await visitor.page.setViewportSize({ width: 1280, height: 800 });
    visitorErrors = consoleErrors(visitor.page);
    owner = await newParticipant(browser, 'Owner');
    staff = await newParticipant(browser, 'Carl');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const scan = async (p: Participant, name: string) => {
    await keepScreenshot(p.page, name);
    expect(await axeSerious(p.page), name).toEqual([]);
  };

  it('home: links to the transparency reports and the requester portal, no console error, axe clean', async () => {
    await visitor.page.goto(server.url);
    await visitor.page.getByRole('button', { name: 'Create meeting' }).waitFor();
    await visitor.page.getByRole('link', { name: 'Transparency reports' }).waitFor();
    await visitor.page.getByRole('link', { name: /requester portal/ }).waitFor();
    await scan(visitor, 'home');
    await visitor.page.getByRole('link', { name: 'Transparency reports' }).click();
    await visitor.page.getByRole('heading', { level: 1 }).first().waitFor();
    await visitor.page.waitForLoadState('networkidle');
    await scan(visitor, 'transparency');
    await visitor.page.goto(`${server.url}/legal/portal`);
    await visitor.page.getByRole('heading', { level: 1 }).first().waitFor();
    await scan(visitor, 'portal');
    await visitor.page.goto(`${server.url}/signin`);
    await visitor.page.getByLabel('Email').waitFor();
    await scan(visitor, 'signin');
    expect(visitorErrors, 'a signed-out visitor gets no console errors').toEqual([]);
  });

  it('pre-join at 1280x800: Join now visible, the id on one line, clear toggles, the passcode error beside the field', async () => {
    const { meetingId } = await createMeeting(server.url, 'secret42');
    await visitor.page.goto(`${server.url}/m/${meetingId}`);
    const join = visitor.page.getByRole('button', { name: 'Join now' });
    await join.waitFor();
    const box = (await join.boundingBox())!;
    expect(box.y + box.height, 'Join now is on screen').toBeLessThanOrEqual(800);
    const title = visitor.page.getByRole('heading', { name: /Join meeting/ });
    const idBox = (await title.locator('.nowrap').boundingBox())!;
    expect(idBox.height, 'the meeting id is on one line').toBeLessThan(50);
    const mic = visitor.page.getByRole('button', { name: 'Microphone on' });
    await expect(mic.getAttribute('aria-pressed')).resolves.toBe('true');
    await mic.click();
    const micOff = visitor.page.getByRole('button', { name: 'Microphone off' });
    await expect(micOff.getAttribute('aria-pressed')).resolves.toBe('false');
    const [onBg, offBg] = await Promise.all([
      // Compared once the camera is really on (it starts a moment after the page).
      visitor.page
        .getByRole('button', { name: 'Camera on' })
        .evaluate((b) => getComputedStyle(b).backgroundColor),
      micOff.evaluate((b) => getComputedStyle(b).backgroundColor),
    ]);
    expect(onBg, 'on and off look different').not.toBe(offBg);
    await micOff.click();
    await visitor.page.getByLabel('Your name').fill('Vera Visitor');
    await visitor.page.getByLabel('Passcode').fill('wrong-one');
    await join.click();
    const err = visitor.page.locator('#passcode-error');
    await err.waitFor();
    await expect(err.textContent()).resolves.toMatch(/passcode/i);
    const field = (await visitor.page.getByLabel('Passcode').boundingBox())!;
    const errBox = (await err.boundingBox())!;
    expect(errBox.y - (field.y + field.height), 'the error is right under the field').toBeLessThan(
      30,
    );
    await expect(visitor.page.getByLabel('Passcode').getAttribute('aria-invalid')).resolves.toBe(
      'true',
    );
    await scan(visitor, 'prejoin-wrong-passcode');
    await visitor.page.setViewportSize({ width: 390, height: 844 });
    await scan(visitor, 'prejoin-phone');
    await visitor.page.setViewportSize({ width: 1280, height: 800 });
  });

  it('account and every admin tab: axe clean; settings save with Save and say so; plurals', async () => {
    await owner.page.goto(`${server.url}/signin`);
    await owner.page.getByLabel('Email').fill('owner@operator.test');
    await owner.page.getByLabel('Password').fill(PASSWORD);
    await owner.page.getByRole('button', { name: 'Sign in' }).click();
    await owner.page.getByTestId('signed-in-as').waitFor();
    await scan(owner, 'account');
    await owner.page.getByRole('link', { name: 'Admin console' }).click();
    await owner.page.getByRole('heading', { name: /Admin console/ }).waitFor();
    await owner.page.getByText('2 users').waitFor();
    for (const tab of [
      'Users',
      'Plan',
      'Meeting settings',
      'Recordings',
      'Security',
      'Location',
      'History',
      'Outbox',
    ]) {
      await owner.page.getByRole('tab', { name: tab }).click();
      await owner.page.getByRole('tabpanel').getByRole('heading', { level: 2 }).first().waitFor();
      await owner.page.waitForLoadState('networkidle');
      await scan(owner, `admin-${tab.toLowerCase().replace(' ', '-')}`);
      if (tab === 'Meeting settings') {
        const box = owner.page.getByLabel('Waiting room on by default');
        // The checkbox sits before its words on the same line (not centred above them).
        const { input, text } = await box.evaluate((el) => {
          const label = el.closest('label')!;
          const node = [...label.childNodes].find(
            (n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim(),
          )!;
          const range = document.createRange();
          range.selectNodeContents(node);
          const r = range.getBoundingClientRect();
          const i = el.getBoundingClientRect();
          return {
            input: { x: i.x, right: i.right, mid: i.y + i.height / 2 },
            text: { x: r.x, mid: r.y + r.height / 2 },
          };
        });
        expect(Math.abs(input.mid - text.mid)).toBeLessThan(6);
        expect(input.right).toBeLessThanOrEqual(text.x);
        await box.click();
        await owner.page
          .getByTestId('save-status')
          .filter({ hasText: 'Unsaved changes' })
          .waitFor();
        await owner.page.getByRole('button', { name: 'Save' }).click();
        await owner.page.getByTestId('save-status').filter({ hasText: 'Saved.' }).waitFor();
        await owner.page.reload();
        await owner.page.getByRole('tab', { name: 'Meeting settings' }).click();
        await expect(owner.page.getByLabel('Waiting room on by default').isChecked()).resolves.toBe(
          true,
        );
      }
      if (tab === 'History') {
        await owner.page
          .getByTestId('audit-row')
          .filter({ hasText: 'Changed meeting settings' })
          .filter({ hasText: 'waiting room by default: off → on' })
          .waitFor();
      }
    }
  });

  it('the legal console (legal admin) and its denial for others: axe clean, one wording', async () => {
    await owner.page.goto(`${server.url}/legal`);
    await owner.page
      .getByText(
        'Only legal reviewers and legal admins of the operator account can open the legal console.',
      )
      .waitFor();
    await scan(owner, 'legal-denied');
    await staff.page.goto(`${server.url}/signin`);
    await staff.page.getByLabel('Email').fill('carl@operator.test');
    await staff.page.getByLabel('Password').fill(PASSWORD);
    await staff.page.getByRole('button', { name: 'Sign in' }).click();
    await staff.page
      .getByLabel('Authentication code')
      .fill(await nextTotpCode(enrolledTotp.get('carl@operator.test')!));
    await staff.page.getByRole('button', { name: 'Verify' }).click();
    await staff.page.getByRole('link', { name: 'Legal console' }).click();
    await staff.page.getByRole('heading', { name: 'Legal console' }).waitFor();
    await staff.page.waitForLoadState('networkidle');
    await scan(staff, 'legal-console');
  });

  it('the requester portal signed in, the new-request form, and the request page on both sides: axe clean', async () => {
    const agency = await createAgency(server.stores.legal, 'police.example.gov');
    const email = 'jane@police.example.gov';
    const { totpSecret } = await createVerifiedRequester(server.stores.legal, agency, email);
    const jane = await requesterClient(server.url, email, totpSecret);
    const filed = await jane.post('/api/legal/portal/requests', validSubmission());
    expect(filed.status).toBe(201);
    const requestId = (filed.body as { request: { id: string } }).request.id;
    // The requester's session, signed in through the API, carried into a browser profile.
    const requester = await newParticipant(browser, 'Jane');
    await requester.context.addCookies(
      [...jane.cookies].map(([name, value]) => ({ name, value, url: server.url })),
    );
    await requester.page.goto(`${server.url}/legal/portal`);
    await requester.page.getByTestId('request-row').first().waitFor();
    await scan(requester, 'portal-signed-in');
    await requester.page.goto(`${server.url}/legal/portal/new`);
    await requester.page.getByRole('form', { name: 'New request' }).waitFor();
    await scan(requester, 'portal-new-request');
    await requester.page.goto(`${server.url}/legal/portal/requests/${requestId}`);
    await requester.page.getByRole('heading', { name: 'Documents' }).waitFor();
    await scan(requester, 'portal-request');
    await staff.page.goto(`${server.url}/legal/requests/${requestId}`);
    await staff.page.getByRole('heading', { name: 'Government request' }).waitFor();
    await staff.page.waitForLoadState('networkidle');
    await scan(staff, 'legal-request');
  });

  it('installable: manifest and service worker pass Chromium’s installability check; offline page', async () => {
    // A normal (persistent) profile: Chromium never offers to install from an incognito one.
    const profile = mkdtempSync(join(tmpdir(), 'conclave-profile-'));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    const cdp = await page.context().newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as {
      errors: unknown[];
      url: string;
    };
    expect(manifest.url).toMatch(/manifest\.webmanifest$/);
    expect(manifest.errors).toEqual([]);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: { errorId: string }[];
    };
    expect(installabilityErrors).toEqual([]);
    // The service worker never caches API responses.
    await page.evaluate(() => fetch('/api/guest-policy').then((r) => r.text()));
    const cached = await page.evaluate(async () => {
      const keys: string[] = [];
      for (const name of await caches.keys())
        for (const req of await (await caches.open(name)).keys())
          keys.push(new URL(req.url).pathname);
      return keys;
    });
    expect(cached).toContain('/offline.html');
    expect(cached.filter((k) => k.startsWith('/api/'))).toEqual([]);
    await page.context().setOffline(true);
    await page.goto(`${server.url}/account`).catch(() => undefined);
    await page.getByRole('heading', { name: 'You are offline' }).waitFor();
    await page.context().setOffline(false);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  });
});
