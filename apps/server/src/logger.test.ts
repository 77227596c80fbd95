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
});
