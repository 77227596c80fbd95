import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../../scripts/build-server';

// `npm start` runs the server built by scripts/build-server.ts on plain node (no tsx): it must
// start (its media workers included: a worker that does not come up fails start-up), answer,
// and find the web app where the sources do.

const out = new URL(`../dist/test-${process.pid}/`, import.meta.url);
const dataDir = mkdtempSync(join(tmpdir(), 'conclave-built-'));
afterAll(() => {
  rmSync(fileURLToPath(out), { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the built server', { timeout: 60_000 }, () => {
  it('starts on plain node with its media workers, answers, and serves the web app from apps/web/dist', async () => {
    const main = await buildServer(new URL('./main.ts', import.meta.url), out);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CONCLAVE_DATA_DIR: dataDir,
      CONCLAVE_MEDIA_WORKERS: '1',
      PORT: '0',
    };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    delete env.CONCLAVE_WEB_ROOT;
    const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let log = '';
      child.stderr.on('data', (d: Buffer) => (log += d.toString()));
      const url = await new Promise<string>((resolveUrl, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          log += d.toString();
          const m = /"url":"(http:\/\/[^"]+)"/.exec(log);
          if (m) resolveUrl(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${log}`)));
        setTimeout(() => reject(new Error(`not started after 40 s: ${log}`)), 40_000).unref();
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const webRoot = resolve(fileURLToPath(new URL('../../web/dist', import.meta.url)));
      if (existsSync(join(webRoot, 'index.html'))) {
        expect((await fetch(url)).headers.get('content-type')).toMatch(/text\/html/);
      } else {
        expect(log).toContain(`"webRoot":"${webRoot}"`);
      }
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
