// RFC 9605 vectors on the WebCrypto backend inside headless Chromium, in the page and in a
// dedicated Worker (where the media transform runs). The library is bundled with esbuild for the
// browser platform, which also proves the browser entry pulls in no node:* module.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_VECTORS } from '../support/paths';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

interface Counts {
  header: number;
  aesCtrHmac: number;
  sframe: number;
  failures: string[];
  isSecureContext: boolean;
}

let dir: string;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'e2ee-browser-'));
  const result = await build({
    entryPoints: [fileURLToPath(new URL('./vectors-entry.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'vectors.js'),
    write: true,
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  if (inputs.some((i) => i.startsWith('node:') || i.includes('backend/node'))) {
    throw new Error('browser bundle pulled in node-only code');
  }
  const files: Record<string, { type: string; body: () => Promise<Buffer | string> }> = {
    '/': {
      type: 'text/html',
      body: async () =>
        '<!doctype html><meta charset="utf-8"><script type="module" src="/vectors.js"></script>',
    },
    '/vectors.js': { type: 'text/javascript', body: () => readFile(join(dir, 'vectors.js')) },
    '/vectors.json': {
      type: 'application/json',
      body: () => readFile(new URL('sframe/test-vectors.hexints.json', SHARED_VECTORS)),
    },
  };
  server = createServer((req, res) => {
    const f = files[req.url ?? ''];
    if (!f) {
      res.writeHead(404).end();
      return;
    }
    f.body().then(
      (b) => res.writeHead(200, { 'content-type': f.type }).end(b),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('no server address');
  origin = `http://127.0.0.1:${addr.port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (dir) await rm(dir, { recursive: true, force: true });
});

function expectAllPassed(r: Counts): void {
  expect(r.failures).toEqual([]);
  expect(r.isSecureContext).toBe(true);
  expect(r.header).toBe(289);
  expect(r.aesCtrHmac).toBe(3);
  expect(r.sframe).toBe(5);
}

describe('WebCrypto backend in headless Chromium', () => {
  it('passes every RFC 9605 vector in the page', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => 'runVectors' in globalThis);
    const r = await page.evaluate(async () => {
      const run = (globalThis as unknown as { runVectors: (u: string) => Promise<Counts> })
        .runVectors;
      return run('/vectors.json');
    });
    expectAllPassed(r);
    await page.close();
  });

  it('passes every RFC 9605 vector in a dedicated Worker', async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    const r = await page.evaluate(async () => {
      const worker = new Worker('/vectors.js', { type: 'module' });
      const reply = await new Promise<{ ok: boolean; result?: Counts; error?: string }>(
        (resolve, reject) => {
          worker.onmessage = (e: MessageEvent<{ ok: boolean; result?: Counts; error?: string }>) =>
            resolve(e.data);
          worker.onerror = (e) => reject(new Error(e.message));
          worker.postMessage(new URL('/vectors.json', location.href).href);
        },
      );
      worker.terminate();
      if (!reply.ok || !reply.result) throw new Error(reply.error ?? 'worker failed');
      return reply.result;
    });
    expectAllPassed(r);
    await page.close();
  });
});
