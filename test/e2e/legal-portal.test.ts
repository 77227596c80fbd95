import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { totpCodeAt } from '../../apps/server/src/modules/accounts/totp';
import { launchChromium, newParticipant } from '../support/browser';
import type { Participant } from '../support/browser';
import { enrolledTotp, nextTotpCode } from '../support/totp-codes';
import { createUser, fakePdf } from '../support/legal-fixtures';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

// Issue 7 in a real browser: a government requester onboards and files a request with a PDF;
// a reviewer checks the pre-checks, answers the checklist and decides to disclose; a second
// reviewer approves, the user is notified, the production is released and the requester
// downloads it. Bad files are refused with clear messages and the form keeps its input.

const PASSWORD = 'correct horse battery';
const JANE = { email: 'jane@police.example.gov', password: 'a long requester password' };
const STEP_MS = 30_000;

/** A TOTP code works once per 30-s step (RFC 6238 §5.2): wait until a step after `usedAt`. */
async function codeAfter(secret: string, usedAt: number): Promise<string> {
  const next = (Math.floor(usedAt / STEP_MS) + 1) * STEP_MS;
  if (Date.now() < next) await new Promise((r) => setTimeout(r, next - Date.now() + 200));
  return totpCodeAt(secret, new Date());
}

describe('trust center portal and legal console in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let jane: Participant;
  let reviewer: Participant;
  let counsel: Participant;
  let totpSecret = '';
  let totpUsedAt = 0;
  let requestUrl = '';

  beforeAll(async () => {
    server = await startTestServer({
      legal: {
        allowedEmailDomains: ['example.gov'],
        maxDocumentMegabytes: 1,
        schedulerIntervalSeconds: 3600,
      },
    });
    // The oldest account is the operator's: its legal roles staff the console.
    const op = await createAccountWithOwner(server.stores, {
      name: 'Operator',
      ownerEmail: 'owner@operator.test',
      ownerName: 'Op',
      ownerPassword: PASSWORD,
    });
    await createUser(server.stores, op.accountId, 'legal_reviewer', 'rita@operator.test', PASSWORD);
    await createUser(server.stores, op.accountId, 'legal_admin', 'carl@operator.test', PASSWORD);
    const customer = await createAccountWithOwner(server.stores, {
      name: 'Customer',
      ownerEmail: 'boss@customer.test',
      ownerName: 'Boss',
      ownerPassword: PASSWORD,
    });
    await createUser(server.stores, customer.accountId, 'member', 'sam@customer.test', PASSWORD);
    await server.db
      .updateTable('accounts')
      .set({ country_iso2: 'US', subdivision: 'CA' })
      .where('id', '=', customer.accountId)
      .execute();
    browser = await launchChromium();
    jane = await newParticipant(browser, 'Jane');
    reviewer = await newParticipant(browser, 'Rita');
    counsel = await newParticipant(browser, 'Carl');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const staffSignIn = async (p: Participant, email: string) => {
    await p.page.goto(`${server.url}/signin`);
    await p.page.getByLabel('Email').fill(email);
    await p.page.getByLabel('Password').fill(PASSWORD);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    // Legal staff sign in with a second factor (the console requires it).
    await p.page
      .getByLabel('Authentication code')
      .fill(await nextTotpCode(enrolledTotp.get(email)!));
    await p.page.getByRole('button', { name: 'Verify' }).click();
    await p.page.getByRole('link', { name: 'Legal console' }).click();
    await p.page.getByRole('heading', { name: 'Legal console' }).waitFor();
  };

  it('a legal admin adds the agency whose official domain may register', async () => {
    await staffSignIn(counsel, 'carl@operator.test');
    const form = counsel.page.getByRole('form', { name: 'Add an agency' });
    await form.getByLabel('Agency name').fill('San Mateo Police');
    await form.getByLabel('Country (ISO)').fill('US');
    await form.getByLabel('Subdivision (ISO, optional)').fill('CA');
    await form.getByLabel('Level').selectOption('local');
    await form.getByLabel('Email domains').fill('police.example.gov');
    await form.getByRole('button', { name: 'Add agency' }).click();
    await counsel.page
      .getByRole('table', { name: 'Agencies' })
      .getByRole('row')
      .filter({ hasText: 'police.example.gov' })
      .waitFor();
  });

  it('a legal admin invites legal staff from the console; they have no console access until 2FA', async () => {
    const form = counsel.page.getByRole('form', { name: 'Invite legal staff' });
    await form.getByLabel('Email').fill('newcomer@operator.test');
    await form.getByLabel('Role').selectOption('legal_reviewer');
    await form.getByRole('button', { name: 'Invite' }).click();
    await counsel.page.getByText('Invitation sent to newcomer@operator.test.').waitFor();
    const row = counsel.page
      .getByRole('table', { name: 'Legal staff' })
      .getByRole('row')
      .filter({ hasText: 'newcomer@operator.test' });
    await row.getByText('Not yet: no console access').waitFor();
    await expect(row.getByLabel('Legal role of newcomer@operator.test').inputValue()).resolves.toBe(
      'legal_reviewer',
    );
  });

  it('registration refuses a domain off the allow-list beside the email field, then registers, verifies, enrols TOTP and attests', async () => {
    const page = jane.page;
    await page.goto(`${server.url}/legal/portal/register`);
    const form = page.getByRole('form', { name: 'Register' });
    await form.getByLabel('Official email').fill('jane@gmail.test');
    await form.getByLabel('Password (at least 12 characters)').fill(JANE.password);
    await form.getByLabel('Full name').fill('Det. Jane Roe');
    await form.getByLabel('Badge or employee number').fill('4521');
    await form.getByLabel('Official phone number').fill('+1 650 555 0100');
    await form.getByLabel('Official mailing address').fill('400 County Center, Redwood City');
    await form.getByRole('button', { name: 'Register' }).click();
    const email = form.getByLabel('Official email');
    await form.getByText(/accepted only from official addresses of agencies on our list/).waitFor();
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    // nothing typed is lost
    await expect(form.getByLabel('Full name').inputValue()).resolves.toBe('Det. Jane Roe');

    await email.fill(JANE.email);
    await form.getByRole('button', { name: 'Register' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `We sent a link to ${JANE.email}` })
      .waitFor();

    const mail = await server.db
      .selectFrom('outbox')
      .selectAll()
      .where('to_address', '=', JANE.email)
      .executeTakeFirstOrThrow();
    const link = new URL(/https?:\/\/\S+\/legal\/portal\/verify#token=[\w-]+/.exec(mail.body)![0]);
    await page.goto(`${server.url}${link.pathname}${link.hash}`);
    await page.getByRole('button', { name: 'Confirm my email address' }).click();
    await page.getByRole('status').filter({ hasText: 'Your email address is verified' }).waitFor();
    await page.getByRole('link', { name: 'Sign in' }).click();

    await page.getByLabel('Official email').fill(JANE.email);
    await page.getByLabel('Password').fill(JANE.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Finish setting up your account' }).waitFor();
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    totpSecret = (await page.getByTestId('totp-secret').textContent())!.trim();
    totpUsedAt = Date.now();
    await page.getByLabel('Code from the app').fill(totpCodeAt(totpSecret, new Date(totpUsedAt)));
    await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
    await page.getByTestId('totp-done').waitFor();
    await page.getByTestId('attestation-text').filter({ hasText: 'official capacity' }).waitFor();
    await page.getByLabel('I have read and accept this attestation').check();
    await page.getByRole('button', { name: 'Accept the attestation' }).click();
    await page.getByRole('button', { name: 'Submit a request' }).click();
    await page.getByRole('form', { name: 'New request' }).waitFor();
  });

  it('the request form shows problems beside their fields, refuses bad files clearly, keeps its input, and files the request with its PDF', async () => {
    const page = jane.page;
    const form = page.getByRole('form', { name: 'New request' });
    await form.getByRole('button', { name: 'Submit request' }).click();
    await form.getByText('Choose the type of legal process.').waitFor();
    await form.getByText('Cite the law the request is made under.').waitFor();
    await form.getByText('Choose at least one category of data.').waitFor();

    await form.getByLabel('Type of legal process').selectOption('search_warrant');
    await form.getByLabel('Country (ISO code)').fill('US');
    await form.getByLabel('State or region (ISO code, optional)').fill('CA');
    await form.getByLabel('Legal basis (citation)').fill('18 U.S.C. § 2703(c)');
    await form.getByLabel('Issuing authority').fill('Superior Court of California, San Mateo');
    await form.getByLabel('Your reference (optional)').fill('SW-2026-0042');
    await form.getByLabel('Target 1', { exact: true }).fill('sam@customer.test');
    await form.getByRole('button', { name: 'Add a target' }).click();
    await form.getByLabel('Target 2 kind').selectOption('meeting_id');
    await form.getByLabel('Target 2', { exact: true }).fill('no-such-meeting');
    await form.getByLabel('Basic subscriber information').check();
    await form.getByLabel('Non-content records (meeting metadata, logs)').check();
    await form.getByLabel('Date range from (UTC)').fill('2026-01-01');
    await form.getByLabel('Date range to (UTC)').fill('2026-06-30');
    await form.getByLabel('Response deadline (UTC)').fill('2027-01-15');
    await form.getByLabel('A nondisclosure order with an end date').check();
    await form.getByLabel('Order citation').fill('Order under 18 U.S.C. § 2705(b)');
    await form.getByRole('button', { name: 'Submit request' }).click();
    await form.getByText('Enter the date the nondisclosure order ends.').waitFor();
    await form.getByLabel('Order ends on (UTC)').fill('2027-06-30');

    const files = form.getByLabel('Add PDF documents');
    // refused in the browser: not a PDF by name and type, and over the 1 MB limit
    await files.setInputFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') },
      { name: 'huge.pdf', mimeType: 'application/pdf', buffer: Buffer.from(fakePdf(2 << 20)) },
    ]);
    await form.getByText('notes.txt is not a PDF. Only PDF documents are accepted.').waitFor();
    await form.getByText('huge.pdf is 2.0 MB; the limit is 1.0 MB.').waitFor();
    await form.getByRole('button', { name: 'Submit request' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Remove the files that cannot be sent' })
      .waitFor();
    await form.getByRole('button', { name: 'Remove notes.txt' }).click();
    await form.getByRole('button', { name: 'Remove huge.pdf' }).click();

    // named .pdf but not one: the server reads the first bytes and refuses it
    await files.setInputFiles([
      { name: 'warrant.pdf', mimeType: 'application/pdf', buffer: Buffer.from(fakePdf(4000)) },
      { name: 'scan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('GIF89a not a pdf') },
    ]);
    await form.getByRole('button', { name: 'Submit request' }).click();
    await form.getByText('Documents must be PDF files.').waitFor();
    await page
      .getByRole('alert')
      .filter({ hasText: 'Your request was received, but 1 document' })
      .waitFor();
    await form
      .locator('[data-testid="file-item"][data-state="done"]')
      .filter({ hasText: 'warrant.pdf' })
      .waitFor();
    await expect(form.getByLabel('Upload of warrant.pdf').getAttribute('value')).resolves.toBe('1');
    await expect(form.getByLabel('Legal basis (citation)').inputValue()).resolves.toBe(
      '18 U.S.C. § 2703(c)',
    );
    await form.getByRole('button', { name: 'Remove scan.pdf' }).click();
    await form.getByRole('button', { name: 'Upload the remaining documents' }).click();

    await page.getByRole('heading', { name: 'Request' }).waitFor();
    requestUrl = page.url();
    await page.getByTestId('status').filter({ hasText: 'Received' }).waitFor();
    await expect(page.getByTestId('document').count()).resolves.toBe(1);
    await page.getByTestId('document').filter({ hasText: 'warrant.pdf' }).waitFor();
    await page.getByRole('link', { name: 'My requests' }).click();
    const row = page.getByTestId('request-row').filter({ hasText: 'SW-2026-0042' });
    await row.getByTestId('request-status').filter({ hasText: 'Received' }).waitFor();
    // only one request exists although Submit was pressed three times
    await expect(page.getByTestId('request-row').count()).resolves.toBe(1);
  });

  it('a reviewer sees it in the queue with its pre-check flags, answers the checklist and decides to disclose; the disclosure waits for a second reviewer', async () => {
    const page = reviewer.page;
    await staffSignIn(reviewer, 'rita@operator.test');
    await page
      .getByTestId('content-note')
      .filter({ hasText: 'Meeting content is never shown' })
      .waitFor();
    await page
      .getByTestId('queue-row')
      .first()
      .getByRole('link', { name: 'Review SW-2026-0042' })
      .click();
    await page.getByRole('heading', { name: 'Government request' }).waitFor();
    await page
      .locator('[data-testid="precheck"][data-code="targets_without_account"][data-level="flag"]')
      .waitFor();
    await page
      .locator('[data-testid="precheck"][data-code="requester_verified"][data-level="ok"]')
      .waitFor();
    await page.getByTestId('document').filter({ hasText: 'warrant.pdf' }).waitFor();

    const checklist = page.getByRole('form', { name: 'Review checklist' });
    for (const ground of [
      'Overbroad or vague',
      'No legal basis in the requesting jurisdiction',
      'Not about good-faith detection or prevention of crime',
      'Targets not subject to the jurisdiction',
      'Requesting entity without authority',
      'Improperly served or deficient',
    ])
      await checklist.getByRole('radiogroup', { name: ground }).getByLabel('Pass').check();
    await checklist
      .getByRole('radiogroup', { name: 'Nondisclosure order without an end date' })
      .getByLabel('Not applicable')
      .check();
    await checklist
      .getByLabel('Notes: Targets not subject to the jurisdiction')
      .fill('The account is in US-CA; the meeting id matches nothing.');
    await checklist.getByRole('button', { name: 'Save checklist' }).click();
    await page.getByRole('status').filter({ hasText: 'Checklist saved.' }).waitFor();
    await page.getByTestId('status').filter({ hasText: 'In review' }).waitFor();

    const decide = page.getByRole('form', { name: 'Record a decision' });
    await decide.getByLabel('Decision').selectOption('disclose_non_content');
    await decide.getByLabel('Rationale').fill('Valid warrant, narrow range, account in CA.');
    await decide.getByRole('button', { name: 'Record decision' }).click();
    await page.getByTestId('needs-second-reviewer').waitFor();
    await expect(page.getByRole('button', { name: 'Approve disclosure' }).count()).resolves.toBe(0);
    await page.getByTestId('status').filter({ hasText: 'Awaiting second approval' }).waitFor();

    await page.getByLabel('Your message').fill('Please send the signed order as well.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByTestId('message').filter({ hasText: 'signed order' }).waitFor();
  });

  it('a second reviewer approves, the user is notified, the production is built and released, and the trail shows each step', async () => {
    const page = counsel.page;
    await page.getByRole('link', { name: 'Queue' }).click();
    await page.getByRole('link', { name: 'Review SW-2026-0042' }).click();
    await page.getByRole('button', { name: 'Approve disclosure' }).click();
    await page.getByRole('status').filter({ hasText: 'Disclosure approved.' }).waitFor();
    await page.getByTestId('status').filter({ hasText: 'Decided' }).waitFor();

    // the order is valid and dated, but nothing is held back here: the user is told now
    await page.getByRole('button', { name: 'Mark order valid' }).click();
    await page.getByTestId('ndo-status').filter({ hasText: 'valid' }).waitFor();
    const notice = page.locator('[data-testid="notice"][data-state="pending"]');
    await notice.getByRole('button', { name: 'Send notice now' }).click();
    await page.locator('[data-testid="notice"][data-state="sent"]').waitFor();

    await page.getByRole('button', { name: 'Build production' }).click();
    await page.getByTestId('production').filter({ hasText: 'not released' }).waitFor();
    await page.getByRole('button', { name: 'Release to the requester' }).click();
    await page.getByTestId('status').filter({ hasText: 'Production released' }).waitFor();
    await page
      .getByTestId('no-further-decision')
      .filter({ hasText: 'status “Production released”, outcome “Non-content disclosed”' })
      .waitFor();

    const trail = page.getByTestId('audit-entry');
    for (const action of [
      'request.submitted',
      'document.uploaded',
      'checklist.saved',
      'decision.recorded',
      'decision.approved',
      'production.released',
    ])
      await trail.filter({ hasText: action }).first().waitFor();
    // Each reload after an action is an audited view; runs of them fold into one line each.
    await trail
      .filter({ hasText: /request\.viewed ×\d+, audit\.viewed ×\d+/ })
      .first()
      .waitFor();
    const folded = await trail.count();
    await page.getByRole('button', { name: 'Show every entry' }).click();
    await expect.poll(() => trail.count()).toBeGreaterThan(folded);
    expect(await trail.filter({ hasText: /×/ }).count()).toBe(0);

    // the affected user reads the in-app notice on their account page
    const sam = await newParticipant(browser, 'Sam');
    await sam.page.goto(`${server.url}/signin`);
    await sam.page.getByLabel('Email').fill('sam@customer.test');
    await sam.page.getByLabel('Password').fill(PASSWORD);
    await sam.page.getByRole('button', { name: 'Sign in' }).click();
    await sam.page
      .getByTestId('user-notice')
      .filter({ hasText: 'A government request for data about your account' })
      .waitFor();
    await sam.context.close();
  });

  it('the requester signs in again with a fresh code, reads the message and downloads the production, which says E2EE content is not held', async () => {
    const page = jane.page;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Official email').fill(JANE.email);
    await page.getByLabel('Password').fill(JANE.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').fill(await codeAfter(totpSecret, totpUsedAt));
    await page.getByRole('button', { name: 'Verify' }).click();
    const row = page.getByTestId('request-row').filter({ hasText: 'SW-2026-0042' });
    await row.getByTestId('request-status').filter({ hasText: 'Production released' }).waitFor();

    await page.goto(requestUrl);
    await page.getByTestId('message').filter({ hasText: 'Legal team' }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download production/ }).click(),
    ]);
    const pkg = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
      manifest: { statements: { meetingContent: string } };
    };
    expect(pkg.manifest.statements.meetingContent).toMatch(/end-to-end encrypted/);
  });

  it('an emergency request goes to the top of the queue; when the requester withdraws it, it leaves the queue', async () => {
    // arranged through the API in Jane's signed-in browser: the form itself is tested above
    const submit = (over: Record<string, unknown>) =>
      jane.page.evaluate(
        async (body) => {
          // the portal's own token, bound to Jane's requester session
          const csrf = decodeURIComponent(/conclave_legal_csrf=([^;]+)/.exec(document.cookie)![1]!);
          const res = await fetch('/api/legal/portal/requests', {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
            body: JSON.stringify(body),
          });
          return res.status;
        },
        {
          idempotencyKey: crypto.randomUUID(),
          country: 'US',
          legalBasis: '18 U.S.C. § 2702(c)(4)',
          issuingAuthority: 'San Mateo Police',
          targets: [{ type: 'email', value: 'sam@customer.test' }],
          dataCategories: ['basic_subscriber_info'],
          rangeFrom: '2026-01-01T00:00:00.000Z',
          rangeTo: '2026-01-31T00:00:00.000Z',
          deadline: '2027-01-01T00:00:00.000Z',
          ...over,
        },
      );
    expect(await submit({ type: 'subpoena', externalRef: 'SUB-7' })).toBe(201);
    expect(await submit({ type: 'emergency', externalRef: 'EM-9' })).toBe(201);

    const page = reviewer.page;
    await page.getByRole('link', { name: 'Queue' }).click();
    const rows = page.getByTestId('queue-row');
    await rows.nth(1).waitFor();
    await expect(rows.first().getAttribute('data-emergency')).resolves.toBe('true');
    await rows.first().getByRole('link', { name: 'Review EM-9' }).waitFor();

    await jane.page.getByRole('link', { name: 'My requests' }).click();
    await jane.page
      .getByTestId('request-row')
      .filter({ hasText: 'EM-9' })
      .getByRole('link', { name: 'Open' })
      .click();
    await jane.page.getByRole('button', { name: 'Withdraw this request' }).click();
    await jane.page.getByLabel('Reason (optional)').fill('Resolved locally.');
    await jane.page.getByRole('button', { name: 'Confirm withdrawal' }).click();
    await jane.page.getByTestId('status').filter({ hasText: 'Withdrawn' }).waitFor();

    await page.reload();
    await page.getByRole('link', { name: 'Review SUB-7' }).waitFor();
    await expect(page.getByTestId('queue-row').count()).resolves.toBe(1);
  });
});
