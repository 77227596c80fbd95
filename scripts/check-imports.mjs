#!/usr/bin/env node
// Import-boundary check (CONVENTIONS.md "one-way imports"):
//  - protocol, e2ee, sfu import nothing of ours;
//  - packages never import apps;
//  - inside apps/server, only main.ts imports storage adapters and only rtc/ imports @conclave/sfu.
// Exits non-zero with one line per violation.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const leaves = ['packages/protocol', 'packages/e2ee', 'packages/sfu'];
const violations = [];

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (/\.(ts|tsx)$/.test(name)) yield p;
  }
}

const importRe =
  /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

for (const base of ['packages', 'apps']) {
  for (const pkg of readdirSync(join(root, base))) {
    const dir = join(root, base, pkg);
    const src = join(dir, 'src');
    try {
      statSync(src);
    } catch {
      continue;
    }
    const rel = `${base}/${pkg}`;
    for (const file of walk(src)) {
      const text = readFileSync(file, 'utf8');
      const fileRel = relative(root, file);
      for (const m of text.matchAll(importRe)) {
        const spec = m[1] ?? m[2];
        if (!spec) continue;
        if (leaves.includes(rel) && spec.startsWith('@conclave/'))
          violations.push(`${fileRel}: leaf package imports ${spec}`);
        if (
          base === 'packages' &&
          (spec.includes('/apps/') ||
            spec.startsWith('@conclave/server') ||
            spec.startsWith('@conclave/web'))
        )
          violations.push(`${fileRel}: package imports an app (${spec})`);
        if (rel === 'apps/server') {
          const inServer = relative(join(dir, 'src'), file);
          if (
            spec === '@conclave/sfu' &&
            !inServer.startsWith('rtc/') &&
            !inServer.startsWith('media/')
          )
            violations.push(`${fileRel}: only rtc/ may import @conclave/sfu`);
          if (
            /storage\/(sqlite|postgres)/.test(spec) &&
            inServer !== 'main.ts' &&
            !inServer.startsWith('storage/') &&
            !inServer.startsWith('cli/') &&
            !file.endsWith('.test.ts')
          )
            violations.push(`${fileRel}: only main.ts picks a storage adapter (${spec})`);
        }
        if (
          rel === 'apps/web' &&
          spec.startsWith('@conclave/') &&
          !['@conclave/client', '@conclave/protocol', '@conclave/e2ee'].includes(
            spec.split('/').slice(0, 2).join('/'),
          )
        )
          violations.push(`${fileRel}: the web app imports only client/protocol/e2ee (${spec})`);
      }
    }
  }
}

if (violations.length) {
  console.error(violations.join('\n'));
  console.error(`import boundaries: ${violations.length} violation(s)`);
  process.exit(1);
}
console.log('import boundaries: ok');
