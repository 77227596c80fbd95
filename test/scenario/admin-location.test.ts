import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';

describe("the admin console sets the account's location (trust-center jurisdiction check)", () => {
  let server: TestServer;
  let owner: ApiClient;
  let other: ApiClient;
  let accountId: string;

  beforeAll(async () => {
    server = await startTestServer();
    accountId = (
      await createAccountWithOwner(server.stores, {
        name: 'Located',
        ownerEmail: 'owner@located.test',
        ownerName: 'Owner',
        ownerPassword: PASSWORD,
      })
    ).accountId;
    await createAccountWithOwner(server.stores, {
      name: 'Elsewhere',
      ownerEmail: 'owner@elsewhere.test',
      ownerName: 'Other owner',
      ownerPassword: PASSWORD,
    });
    owner = new ApiClient(server.url);
    other = new ApiClient(server.url);
    expect((await owner.signIn('owner@located.test', PASSWORD)).status).toBe(200);
    expect((await other.signIn('owner@elsewhere.test', PASSWORD)).status).toBe(200);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('starts unset; the owner sets country and subdivision, the trust center reads them, one audit row per change', async () => {
    expect((await owner.get('/api/admin/location')).body).toEqual({
      country: null,
      subdivision: null,
    });
    const set = await owner.put('/api/admin/location', { country: 'US', subdivision: 'CA' });
    expect(set).toEqual({ status: 200, body: { country: 'US', subdivision: 'CA' } });
    expect((await owner.get('/api/admin/location')).body).toEqual({
      country: 'US',
      subdivision: 'CA',
    });
    expect(await server.stores.subjects.account(accountId)).toMatchObject({
      country: 'US',
      subdivision: 'CA',
    });

    // Without a subdivision: cleared.
    expect((await owner.put('/api/admin/location', { country: 'DE' })).body).toEqual({
      country: 'DE',
      subdivision: null,
    });

    const audit = (await owner.get('/api/admin/audit')).body.entries.filter(
      (e: { action: string }) => e.action === 'account.location_change',
    );
    expect(audit.map((e: { detail: unknown }) => e.detail)).toEqual([
      { from: { country: 'US', subdivision: 'CA' }, to: { country: 'DE', subdivision: null } },
      { from: { country: null, subdivision: null }, to: { country: 'US', subdivision: 'CA' } },
    ]);
    expect(audit[0].target).toBe(accountId);
  });

  it('codes that are not ISO 3166 are refused naming the field, and nothing changes', async () => {
    for (const [body, field] of [
      [{ country: 'USA' }, 'country'],
      [{ country: 'us' }, 'country'],
      [{}, 'country'],
      [{ country: 'US', subdivision: 'CALI' }, 'subdivision'],
      [{ country: 'US', subdivision: 'c-a' }, 'subdivision'],
      [{ country: 'US', city: 'Paris' }, 'city'],
    ] as const) {
      const res = await owner.put('/api/admin/location', body);
      expect([body, res.status, res.body.code]).toEqual([body, 400, 'BAD_REQUEST']);
      expect(res.body.message).toContain(field);
    }
    expect((await owner.get('/api/admin/location')).body).toEqual({
      country: 'DE',
      subdivision: null,
    });
  });

  it("another account's owner sees and changes only their own account", async () => {
    expect((await other.get('/api/admin/location')).body).toEqual({
      country: null,
      subdivision: null,
    });
    await other.put('/api/admin/location', { country: 'FR' });
    expect((await owner.get('/api/admin/location')).body.country).toBe('DE');
  });
});
