import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server';

function get(
  url: string,
): Promise<{ status: number; body: string; hsts: string | undefined; cookies: string[] }> {
  return new Promise((resolve, reject) => {
    request(
      url,
      {
        rejectUnauthorized: false,
        method: url.endsWith('/api/meetings') ? 'POST' : 'GET',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body,
            hsts: res.headers['strict-transport-security'],
            cookies: res.headers['set-cookie'] ?? [],
          }),
        );
      },
    )
      .on('error', reject)
      .end(url.endsWith('/api/meetings') ? '{}' : undefined);
  });
}

describe('TLS', () => {
  it('serves HTTPS with the configured certificate, HSTS, and https invite links', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
      ],
      { stdio: 'ignore' },
    );
    const server = await startTestServer({ tls: { certFile, keyFile } });
    try {
      expect(server.url.startsWith('https://')).toBe(true);
      const health = await get(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(health.hsts).toBeDefined();
      const created = await get(`${server.url}/api/meetings`);
      expect(JSON.parse(created.body)).toMatchObject({
        joinUrl: expect.stringMatching(/^https:\/\/localhost:\d+\/m\/\d{11}$/),
      });
      // With TLS, account cookies are Secure (issue 6).
      const csrf = await get(`${server.url}/api/auth/csrf`);
      expect(
        csrf.cookies.some((c) => c.startsWith('conclave_csrf=') && /;\s*Secure/i.test(c)),
      ).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
