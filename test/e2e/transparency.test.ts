import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { FIXTURE } from '../../apps/server/src/modules/transparency/fixture';
import { launchChromium, newParticipant } from '../support/browser';
import type { Participant } from '../support/browser';
import { createUser } from '../support/legal-fixtures';
import { enrolledTotp, nextTotpCode } from '../support/totp-codes';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';
import { seedRequests } from '../support/transparency-fixtures';

// Issue 8 in a real browser: the legal admin previews and publishes 2026-H1 from the console;
// the public page shows the numbers in tables beside non-empty charts, a filter changes them,
// and the CSV and JSON downloads hold exactly what is shown.

const PASSWORD = 'correct horse battery';

describe('transparency report in a real browser', () => {
  let server: TestServer;
  let browser: Browser;
  let counsel: Participant;
  let visitor: Participant;

  beforeAll(async () => {
    server = await startTestServer({});
    const op = await createAccountWithOwner(server.stores, {
      name: 'Operator',
      ownerEmail: 'owner@operator.test',
      ownerName: 'Op',
      ownerPassword: PASSWORD,
    });
    await createUser(server.stores, op.accountId, 'legal_admin', 'carl@operator.test', PASSWORD);
    await seedRequests(server.stores.legal, FIXTURE);
    browser = await launchChromium();
    counsel = await newParticipant(browser, 'Carl');
    visitor = await newParticipant(browser, 'Visitor');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('the legal admin previews and publishes a period', async () => {
    const page = counsel.page;
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('Email').fill('carl@operator.test');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    // Legal staff sign in with a second factor (the console requires it).
    await page
      .getByLabel('Authentication code')
      .fill(await nextTotpCode(enrolledTotp.get('carl@operator.test')!));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
    await page.goto(`${server.url}/legal/reports`);
    await page.getByLabel('Period', { exact: true }).fill('2026-H1');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect.poll(() => page.getByTestId('preview-received').textContent()).toBe('11');
    await page.getByRole('button', { name: 'Publish version 1' }).click();
    await page.getByText('Published 2026-H1 version 1.').waitFor();
  });

  it('the public page shows the numbers beside charts, filters, and downloads what is shown', async () => {
    const page = visitor.page;
    await page.goto(`${server.url}/transparency`);
    await expect.poll(() => page.getByTestId('total-received').textContent()).toBe('11');
    expect(await page.getByTestId('total-ndo').textContent()).toBe('2 of 11');
    const typeTable = page.getByTestId('by-type-table');
    expect(
      await typeTable
        .getByRole('row', { name: /Subpoena/ })
        .getByRole('cell')
        .textContent(),
    ).toBe('5');
    // ECharts drew something into each chart container (SVG renderer).
    for (const id of ['by-type', 'by-jurisdiction', 'by-outcome', 'trends'])
      expect(await page.getByTestId(`${id}-chart`).locator('svg path').count(), id).toBeGreaterThan(
        0,
      );

    await page.getByRole('combobox', { name: /^Jurisdiction/ }).selectOption('US');
    await expect.poll(() => page.getByTestId('total-received').textContent()).toBe('9');
    await page.getByRole('combobox', { name: /^Legal process/ }).selectOption('subpoena');
    await expect.poll(() => page.getByTestId('total-received').textContent()).toBe('5');
    const shown = {
      received: Number(await page.getByTestId('total-received').textContent()),
      accounts: Number(await page.getByTestId('total-accounts').textContent()),
    };

    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const rows = parse<Record<string, string>>(readFileSync(await csvDownload.path(), 'utf8'), {
      columns: true,
    });
    expect(rows.map((r) => [r.country_code, r.legal_process])).toEqual([['US', 'subpoena']]);
    expect(Number(rows[0]!.requests_received)).toBe(shown.received);
    expect(Number(rows[0]!.accounts_specified)).toBe(shown.accounts);

    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download JSON' }).click(),
    ]);
    const json = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8')) as {
      totals: { received: number; accountsSpecified: number };
      filter: unknown;
    };
    expect(json.filter).toEqual({ jurisdiction: 'US', type: 'subpoena' });
    expect([json.totals.received, json.totals.accountsSpecified]).toEqual([
      shown.received,
      shown.accounts,
    ]);
    await page.getByRole('heading', { name: 'Methodology' }).waitFor();
    await page.getByRole('heading', { name: 'Government Requests Guide' }).waitFor();
  });
});
