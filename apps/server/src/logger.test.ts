import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger';

describe('logger', () => {
  it('never writes passcodes, host keys, resume tokens or cookies', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const log = createLogger('info', sink);
    log.info(
      {
        passcode: 'pc-123',
        hostKey: 'hk-456',
        msg2: { resumeToken: 'rt-789' },
        req: { headers: { cookie: 'sid=abc' } },
      },
      'joined',
    );
    const out = lines.join('');
    for (const secret of ['pc-123', 'hk-456', 'rt-789', 'sid=abc'])
      expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('never writes account secrets: passwords, TOTP secrets and codes, session ids, CSRF tokens', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const log = createLogger('info', sink);
    log.info(
      {
        body: { email: 'a@b.test', password: 'pw-1', totpCode: '123456', recoveryCode: 'rc-1' },
        user: { passwordHash: '$argon2id$h', totpSecret: 'JBSWY3DP', sessionId: 'sid-9' },
        config: { secretKey: 'k'.repeat(64) },
        newPassword: 'pw-2',
        csrfToken: 'csrf-3',
        req: { headers: { 'x-csrf-token': 'csrf-4', cookie: 'conclave_session=s-5' } },
        enrol: { otpauthUrl: 'otpauth://totp/x?secret=JBSWY3DP', recoveryCodes: ['abcde-fghij'] },
      },
      'account event',
    );
    const out = lines.join('');
    for (const secret of [
      'pw-1',
      '123456',
      'rc-1',
      'argon2id',
      'JBSWY3DP',
      'sid-9',
      'pw-2',
      'csrf-3',
      'csrf-4',
      's-5',
      'abcde-fghij',
      'k'.repeat(64),
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain('a@b.test');
  });
});
