// Runs the SFrame comparison inside headless Chromium (WebCrypto backend): esbuild bundle, a
// tiny 127.0.0.1 server (WebCrypto needs a secure context) and playwright-core.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { SFrameRow } from './e2ee-sframe-bench';

export async function sframeInChromium(quick: boolean): Promise<SFrameRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'e2ee-bench-'));
  const server = createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><script type="module" src="/bench.js"></script>');
    } else if (req.url === '/bench.js') {
      readFile(join(dir, 'bench.js')).then(
        (b) => res.writeHead(200, { 'content-type': 'text/javascript' }).end(b),
        () => res.writeHead(500).end(),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  try {
    await build({
      entryPoints: [fileURLToPath(new URL('./e2ee-browser-entry.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(dir, 'bench.js'),
      logLevel: 'silent',
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('no server address');
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${addr.port}/`);
      await page.waitForFunction(() => 'runSFrameBench' in globalThis);
      return await page.evaluate(async (q) => {
        const run = (
          globalThis as unknown as { runSFrameBench: (quick: boolean) => Promise<SFrameRow[]> }
        ).runSFrameBench;
        return run(q);
      }, quick);
    } finally {
      await browser.close();
    }
  } finally {
    server.close();
    await rm(dir, { recursive: true, force: true });
  }
}
