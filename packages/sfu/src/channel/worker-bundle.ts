/**
 * The media worker's own code as one plain-JavaScript module, so the thread needs no TypeScript
 * loader: registering tsx inside a worker starts a module-hooks thread and costs about 39 MB of
 * resident memory per worker (measured: 53 MB with tsx, 14 MB bare, for a worker with werift).
 *
 * esbuild bundles only our files (as tsx would transform them, same tsconfig); every package
 * import stays an import, resolved here to its absolute URL, so werift and the rest load from
 * node_modules exactly as they do without the bundle (one module instance each, the same files).
 * The bundle is built once per process into a temporary directory, removed at exit. Any failure
 * (no esbuild, a read-only temp directory) means undefined: the caller falls back to tsx.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

let pending: Promise<URL | undefined> | undefined;

const build = async (entry: URL): Promise<URL | undefined> => {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(entry)],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    plugins: [
      {
        name: 'packages-by-absolute-url',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (isBuiltin(args.path)) return { path: args.path, external: true };
            return { path: import.meta.resolve(args.path), external: true };
          });
        },
      },
    ],
  });
  const code = result.outputFiles[0]?.text;
  if (!code) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'conclave-sfu-worker-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'worker.mjs');
  writeFileSync(file, code);
  return pathToFileURL(file);
};

/** The bundled worker entry for the TypeScript `entry`, or undefined if it cannot be built. */
export const bundledWorkerEntry = (entry: URL): Promise<URL | undefined> => {
  pending ??= build(entry).catch(() => undefined);
  return pending;
};
