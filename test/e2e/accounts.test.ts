import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { MeetingService } from '../../apps/server/src/modules/meetings/meeting-service';
import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp';
import { launchChromium, newParticipant } from '../support/browser';
import type { Participant } from '../support/browser';
import { startSmtpSink } from '../support/smtp-sink';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Accounts in a real browser: sign-in, an invitation mailed through a real SMTP server, setting
// a password, two-factor sign-in, and the plan deciding E2EE live in a running meeting.
/** Mail bodies arrive quoted-printable (RFC 2045 §6.7): soft line breaks and =XX escapes. */
const quotedPrintable = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const OWNER = { email: 'olga@acme.test', password: 'owner password 123' };
const ALICE = { email: 'alice@acme.test', password: 'alice password 123' };

describe('accounts and the admin console in real browsers', () => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let browser: Browser;
  let owner: Participant;
  let alice: Participant;
  let meetingPage: Page;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startTestServer({
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
    });
    await createAccountWithOwner(server.stores, {
      name: 'Acme Clinic',
      ownerEmail: OWNER.email,
      ownerName: 'Olga Owner',
      ownerPassword: OWNER.password,
      plan: 'basic',
    });
    browser = await launchChromium();
    owner = await newParticipant(browser, 'Olga Owner');
    alice = await newParticipant(browser, 'Alice');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await smtp?.close();
  });

  const signIn = async (p: Participant, who: { email: string; password: string }) => {
    await p.page.goto(`${server.url}/signin`);
    await p.page.getByLabel('Email').fill(who.email);
    await p.page.getByLabel('Password').fill(who.password);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('the owner signs in and opens the admin console', async () => {
    await signIn(owner, OWNER);
    await owner.page.getByTestId('signed-in-as').filter({ hasText: OWNER.email }).waitFor();
    await owner.page.getByRole('link', { name: 'Admin console' }).click();
    await owner.page.getByRole('heading', { name: 'Admin console · Acme Clinic' }).waitFor();
  });

  it("the owner sets the account's location for the trust center's jurisdiction check", async () => {
    await owner.page.getByRole('tab', { name: 'Location' }).click();
    await owner.page
      .getByTestId('account-location')
      .filter({ hasText: 'No location is set' })
      .waitFor();
    const form = owner.page.getByRole('form', { name: 'Account location' });
    await form.getByLabel(/^Country/).fill('us');
    await form.getByLabel(/^Subdivision/).fill('ca');
    await form.getByRole('button', { name: 'Save location' }).click();
    await owner.page.getByText('The account is now located in US-CA.').waitFor();
    await owner.page
      .getByTestId('account-location')
      .filter({ hasText: 'This account is located in US-CA.' })
      .waitFor();
  });

  it('a wrong password is refused with a clear message', async () => {
    const stranger = await newParticipant(browser, 'Stranger');
    await signIn(stranger, { email: OWNER.email, password: 'not the password' });
    await stranger.page
      .getByRole('alert')
      .filter({ hasText: /password|email/i })
      .waitFor();
    await stranger.context.close();
  });

  it('the owner invites Alice; the mail arrives by SMTP; Alice sets a password and is signed in', async () => {
    await owner.page.getByRole('tab', { name: 'Users' }).click();
    const form = owner.page.getByRole('form', { name: 'Invite a user' });
    await form.getByLabel('Email').fill(ALICE.email);
    await form.getByLabel('Role').selectOption('member');
    await form.getByRole('button', { name: 'Invite' }).click();
    await owner.page.getByText(`Invitation sent to ${ALICE.email}.`).waitFor();
    await owner.page.locator(`[data-testid="user-row"][data-email="${ALICE.email}"]`).waitFor();

    const mail = await smtp.waitFor(ALICE.email, 10_000);
    const link = /https?:\/\/\S+\/accept-invite#token=[A-Za-z0-9_-]+/.exec(
      quotedPrintable(mail.raw),
    )?.[0];
    expect(link).toBeDefined();
    // The link names the public URL (localhost); the test server listens on 127.0.0.1.
    const url = new URL(link!);
    await alice.page.goto(`${server.url}${url.pathname}${url.hash}`);
    await alice.page.getByLabel('Your name').fill('Alice Adams');
    await alice.page.getByLabel('New password (at least 12 characters)').fill(ALICE.password);
    await alice.page.getByLabel('Repeat the new password').fill(ALICE.password);
    await alice.page.getByRole('button', { name: 'Set password and sign in' }).click();
    await alice.page.getByTestId('signed-in-as').filter({ hasText: ALICE.email }).waitFor();
    // members have no admin console
    await expect(alice.page.getByRole('link', { name: 'Admin console' }).count()).resolves.toBe(0);
  });

  it('Alice turns on two-factor sign-in and then signs in with a code', async () => {
    await alice.page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    const secret = (await alice.page.getByTestId('totp-secret').textContent())!.trim();
    await alice.page.getByLabel('Code from the app').fill(totpCodeAt(secret, new Date()));
    await alice.page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await alice.page.getByTestId('recovery-codes').waitFor();
    await expect(
      alice.page.getByTestId('recovery-codes').getByRole('listitem').count(),
    ).resolves.toBe(10);

    await alice.page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await alice.page.getByRole('heading', { name: 'Sign in to Conclave' }).waitFor();
    // A code works once (RFC 6238 §5.2): sign in with the next 30-second step's code.
    await new Promise((r) => setTimeout(r, 30_000 - (Date.now() % 30_000) + 500));
    await signIn(alice, ALICE);
    await alice.page.getByLabel('Authentication code').fill(totpCodeAt(secret, new Date()));
    await alice.page.getByRole('button', { name: 'Verify' }).click();
    await alice.page.getByTestId('signed-in-as').filter({ hasText: ALICE.email }).waitFor();
    await alice.page.getByTestId('twofa-status').waitFor();
  });

  it('on Basic the admin sees E2EE unavailable; after Business + allow, a running meeting offers it without reloading', async () => {
    await owner.page.getByRole('tab', { name: 'Meeting settings' }).click();
    await owner.page.getByTestId('e2ee-plan-note').waitFor();
    await expect(owner.page.getByLabel('Allow end-to-end encryption').isDisabled()).resolves.toBe(
      true,
    );

    // The owner hosts a meeting from their account page, in a second tab.
    const meeting = await owner.context.newPage();
    await meeting.goto(`${server.url}/account`);
    await meeting.getByRole('button', { name: 'Start a meeting now' }).click();
    await meeting.getByLabel('Your name').fill('Olga Owner');
    await meeting.getByRole('button', { name: 'Join now' }).click();
    await meeting
      .getByRole('navigation', { name: 'Meeting controls' })
      .waitFor({ timeout: 20_000 });
    await meeting.getByRole('button', { name: 'More' }).click();
    const item = meeting.getByRole('menuitem', { name: 'Turn on end-to-end encryption' });
    await expect(item.isDisabled()).resolves.toBe(true);
    await meeting.getByText(/not available with your subscription/).waitFor();

    await owner.page.getByRole('tab', { name: 'Plan' }).click();
    await owner.page.getByRole('button', { name: 'Switch to Business' }).click();
    await owner.page.getByTestId('current-plan').filter({ hasText: 'Business' }).waitFor();
    await owner.page.getByRole('tab', { name: 'Meeting settings' }).click();
    await owner.page.getByLabel('Allow end-to-end encryption').click();
    // Nothing changes before Save (issue 17: an explicit Save with a saved state).
    await owner.page.getByTestId('save-status').filter({ hasText: 'Unsaved changes' }).waitFor();
    await owner.page.getByRole('button', { name: 'Save' }).click();
    await owner.page.getByText('Hosts can now turn on end-to-end encryption.').waitFor();

    // no reload: the server pushed the new availability into the running meeting
    await expect.poll(() => item.isDisabled(), { timeout: 10_000 }).toBe(false);
    await owner.page.getByRole('tab', { name: 'History' }).click();
    // The history reads as sentences, not ids and JSON (issue 17).
    await owner.page
      .getByTestId('audit-row')
      .filter({ hasText: 'Changed the plan' })
      .filter({ hasText: 'basic → business' })
      .waitFor();
    for (const row of await owner.page.getByTestId('audit-row').allTextContents())
      expect(row).not.toMatch(/[{"]/);
    meetingPage = meeting;
    await owner.page.getByTestId('audit-row').filter({ hasText: 'user.invite' }).first().waitFor();
  });

  it('with the waiting room on, Alice waits until the host lets her in', async () => {
    await owner.page.getByRole('tab', { name: 'Meeting settings' }).click();
    await owner.page.getByLabel('Waiting room on by default').click();
    await owner.page.getByRole('button', { name: 'Save' }).click();
    await owner.page.getByText('Saved.').waitFor();
    await alice.page.goto(meetingPage.url());
    await alice.page.getByLabel('Your name').fill('Alice Adams');
    await alice.page.getByRole('button', { name: 'Join now' }).click();
    await alice.page.getByText('Waiting for the host to let you in').waitFor({ timeout: 20_000 });
    await meetingPage.getByText('Alice Adams is in the waiting room.').waitFor();
    await meetingPage.getByRole('button', { name: /^Participants/ }).click();
    await meetingPage
      .getByRole('button', { name: 'Let Alice Adams in from the waiting room' })
      .click();
    await alice.page.getByText('Waiting for the host to let you in').waitFor({ state: 'hidden' });
    await meetingPage.getByTestId('tile').filter({ hasText: 'Alice Adams' }).waitFor();
  });

  it('an operator who allows no guest meetings: the start page asks for sign-in, and E2EE in a guest meeting is disabled with the reason', async () => {
    const strict = await startTestServer({ meetings: { guestCreation: false, guestE2ee: false } });
    const gail = await newParticipant(browser, 'Gail Guest');
    try {
      await gail.page.goto(strict.url);
      await gail.page.getByTestId('guest-creation-off').waitFor();
      const link = gail.page.getByRole('link', { name: 'Sign in to create a meeting' });
      await expect(link.getAttribute('href')).resolves.toBe('/signin');
      await expect(gail.page.getByRole('button', { name: 'Create meeting' }).count()).resolves.toBe(
        0,
      );

      // A guest meeting from before the operator's change: the switch is read live.
      const old = await new MeetingService(strict.stores.meetings).create({});
      await gail.page.evaluate(([id, key]) => localStorage.setItem(`conclave.hostKey.${id}`, key), [
        old.meetingId,
        old.hostKey,
      ] as const);
      await gail.page.goto(`${strict.url}/m/${old.meetingId}`);
      await gail.page.getByLabel('Your name').fill('Gail Guest');
      await gail.page.getByRole('button', { name: 'Join now' }).click();
      await gail.page
        .getByRole('navigation', { name: 'Meeting controls' })
        .waitFor({ timeout: 20_000 });
      await gail.page.getByRole('button', { name: 'More' }).click();
      const item = gail.page.getByRole('menuitem', { name: 'Turn on end-to-end encryption' });
      await expect(item.isDisabled()).resolves.toBe(true);
      await gail.page
        .getByText(
          'End-to-end encryption is not available for meetings without an account on this server.',
        )
        .waitFor();
    } finally {
      await gail.context.close();
      await strict.stop();
    }
  });
});
