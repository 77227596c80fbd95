import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailDispatcher } from '../../apps/server/src/modules/mail/mail-dispatcher';
import { SmtpMailer } from '../../apps/server/src/modules/mail/smtp-mailer';
import type { NoticeRecord } from '../../apps/server/src/modules/legal/legal-store';
import { openSqlite } from '../../apps/server/src/storage/sqlite/database';
import { SqlOutboxStore } from '../../apps/server/src/storage/sql-outbox-store';
import { ApiClient } from '../support/api-client';
import { arrangeDisclosureRequest } from '../support/disclosure-requests';
import { startSmtpSink } from '../support/smtp-sink';
import { startTestServer } from '../support/test-server';
import type { TestServer } from '../support/test-server';

/** Mail bodies may be quoted-printable (RFC 2045 §6.7): soft line breaks and =XX escapes. */
const decodeQuotedPrintable = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

const NOTICE_TEXT =
  'On 2026-04-01 we received a subpoena from a test agency asking for data about your account.';

describe('durable mail queue', () => {
  let sink: Awaited<ReturnType<typeof startSmtpSink>> | undefined;
  let server: TestServer;
  let port: number;
  let now = new Date('2026-04-02T09:00:00.000Z');
  const smtp = () => ({ host: '127.0.0.1', port, secure: false, from: 'Conclave <c@acme.test>' });

  beforeAll(async () => {
    // Find a free port for the sink, then stop it: SMTP is down when the notice goes out.
    const probe = await startSmtpSink();
    port = probe.port;
    await probe.close();
    server = await startTestServer(
      { smtp: smtp(), mail: { dispatchIntervalSeconds: 3600, giveUpHours: 72 } },
      { clock: () => now },
    );
  });
  afterAll(async () => {
    await server?.stop();
    await sink?.close();
  });

  async function pendingNotice(): Promise<{
    notice: NoticeRecord;
    email: string;
    ownerEmail: string;
  }> {
    const s = server.stores;
    const {
      requestId,
      ownerEmail,
      userIds: [userId],
      emails: [email],
    } = await arrangeDisclosureRequest(s, 1);
    const notice: NoticeRecord = {
      id: randomUUID(),
      requestId,
      recipientUserId: userId!,
      recipientKind: 'account_holder',
      subjectUserId: userId!,
      state: 'pending',
      suppressionReason: null,
      suppressionNotes: null,
      suppressedBy: null,
      body: NOTICE_TEXT,
      createdAt: now,
      claimedBy: null,
      sentAt: null,
    };
    await s.legal.notices.insertNotice(notice);
    return { notice, email: email!, ownerEmail };
  }

  const queued = (to: string) =>
    server.db.selectFrom('outbox').selectAll().where('to_address', '=', to).execute();

  it('a legal notice sent while SMTP is down is queued with its error and delivered once when SMTP is back', async () => {
    const { notice, email, ownerEmail } = await pendingNotice();
    const dispatcher = server.mailDispatcher!;

    expect(await server.legal.notices.deliver(notice, 'test')).toBe(true);
    await dispatcher.tick(); // joins the pass the commit kicked off, or runs one
    await dispatcher.tick();

    // The in-app notice committed with the claim; the email waits in the queue with its error.
    const inApp = await server.stores.legal.notices.listUserNotices(notice.recipientUserId);
    expect(inApp.map((n) => n.body)).toEqual([NOTICE_TEXT]);
    const [row, ...more] = await queued(email);
    expect(more).toEqual([]);
    expect(row).toMatchObject({ attempts: 1, sent_at: null, body: NOTICE_TEXT });
    expect(row!.last_error).toMatch(/ECONNREFUSED/);
    expect(row!.last_error).not.toContain(NOTICE_TEXT);
    expect(row!.next_attempt_at).toBe(new Date(now.getTime() + 30_000).toISOString());

    // The account owner sees in /admin → Outbox that delivery failed, why, and when it retries.
    const owner = new ApiClient(server.url);
    expect((await owner.signIn(ownerEmail, 'correct horse battery')).status).toBe(200);
    const outbox = await owner.get('/api/admin/outbox');
    expect(outbox.body.messages).toEqual([
      expect.objectContaining({
        to: email,
        attempts: 1,
        lastError: expect.stringMatching(/ECONNREFUSED/),
        nextAttemptAt: new Date(now.getTime() + 30_000).toISOString(),
      }),
    ]);

    // SMTP comes back; nothing goes out before the retry is due.
    sink = await startSmtpSink(port);
    expect(await dispatcher.tick()).toEqual({ sent: 0, failed: 0 });
    expect(sink.mails).toEqual([]);

    // At the retry, this server and a second process on the same database both run a pass.
    now = new Date(now.getTime() + 30_000);
    const otherDb = await openSqlite(join(server.dataDir, 'conclave.sqlite'));
    const other = new MailDispatcher({
      store: new SqlOutboxStore(otherDb),
      transport: new SmtpMailer(smtp()),
      clock: () => now,
    });
    try {
      const reports = await Promise.all([dispatcher.tick(), other.tick()]);
      expect(reports.reduce((n, r) => n + r.sent, 0)).toBe(1);
      now = new Date(now.getTime() + 3_600_000);
      await Promise.all([dispatcher.tick(), other.tick()]);
    } finally {
      await other.stop();
      await otherDb.destroy();
    }

    expect(sink.mails.map((m) => m.to)).toEqual([[email]]);
    const mail = sink.mails[0]!;
    expect(mail.raw).toMatch(/Subject: A government request for data about your account/);
    expect(decodeQuotedPrintable(mail.raw).replace(/\r?\n/g, ' ')).toContain(NOTICE_TEXT);
    expect((await queued(email))[0]).toMatchObject({
      attempts: 2,
      last_error: null,
      next_attempt_at: null,
    });
    expect((await queued(email))[0]!.sent_at).not.toBeNull();
  });

  it('a notice claimed a second time queues no second email', async () => {
    const { notice, email } = await pendingNotice();
    expect(await server.legal.notices.deliver(notice, 'a')).toBe(true);
    expect(await server.legal.notices.deliver(notice, 'b')).toBe(false);
    expect(await queued(email)).toHaveLength(1);
  });
});
