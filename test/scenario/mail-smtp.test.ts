import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountWithOwner } from '../../apps/server/src/modules/accounts/account-setup';
import { ApiClient } from '../support/api-client';
import { startSmtpSink } from '../support/smtp-sink';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

const PASSWORD = 'correct horse battery';

/** Mail bodies may be quoted-printable (RFC 2045 §6.7): soft line breaks and =XX escapes. */
const decodeQuotedPrintable = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

describe('mail over SMTP', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let server: TestServer;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    server = await startTestServer({
      smtp: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Conclave <c@acme.test>' },
    });
    await createAccountWithOwner(server.stores, {
      name: 'Mail Co',
      ownerEmail: 'owner@mail.test',
      ownerName: 'Owner',
      ownerPassword: PASSWORD,
    });
  });
  afterAll(async () => {
    await server?.stop();
    await smtp?.close();
  });

  it('an invite goes out by SMTP, its link sets the password, and the outbox stays empty', async () => {
    const owner = new ApiClient(server.url);
    await owner.signIn('owner@mail.test', PASSWORD);
    expect(
      (await owner.post('/api/admin/users/invite', { email: 'new@mail.test', role: 'member' }))
        .status,
    ).toBe(201);
    const mail = await smtp.waitFor('new@mail.test');
    expect(mail.from).toBe('c@acme.test');
    expect(mail.raw).toMatch(/Subject: You are invited to Mail Co on Conclave/);
    const text = decodeQuotedPrintable(mail.raw);
    const token = /accept-invite#token=([\w-]+)/.exec(text)?.[1];
    expect(token).toBeDefined();
    const invited = new ApiClient(server.url);
    await invited.get('/api/auth/csrf');
    const accepted = await invited.post('/api/auth/invite/accept', { token, password: PASSWORD });
    expect(accepted.body.user).toMatchObject({ email: 'new@mail.test', status: 'active' });
    expect((await owner.get('/api/admin/outbox')).body.messages).toEqual([]);
  });

  it('a password reset goes out by SMTP', async () => {
    const anon = new ApiClient(server.url);
    await anon.get('/api/auth/csrf');
    await anon.post('/api/auth/password-reset/request', { email: 'owner@mail.test' });
    const mail = await smtp.waitFor('owner@mail.test');
    expect(decodeQuotedPrintable(mail.raw)).toMatch(/reset-password#token=[\w-]{43}/);
  });
});
