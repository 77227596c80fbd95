import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workerEntryUrl } from './spawn';
import { bundledWorkerEntry } from './worker-bundle';

describe('bundledWorkerEntry', () => {
  it('bundles our worker code and leaves werift an import of its own file', async () => {
    const url = await bundledWorkerEntry(workerEntryUrl());
    expect(url).toBeDefined();
    const code = readFileSync(url!, 'utf8');
    expect(code).toMatch(/from "file:\/\/\/[^"]*\/node_modules\/werift\/lib\/index\.mjs"/);
    expect(code).not.toMatch(/class RTCPeerConnection\b/);
  });
});

describe('workerEntryUrl', () => {
  it('is the TypeScript entry from sources, and media-worker.mjs next to a bundled server', () => {
    expect(workerEntryUrl().pathname).toMatch(/\/packages\/sfu\/src\/worker\/main\.ts$/);
    expect(workerEntryUrl('file:///srv/conclave/dist/server/main.mjs').href).toBe(
      'file:///srv/conclave/dist/server/media-worker.mjs',
    );
  });
});
