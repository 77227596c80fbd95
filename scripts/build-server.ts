/**
 * Builds the server into plain JavaScript, so it runs on `node` alone (`npm start`):
 *
 *   apps/server/dist/server/main.mjs          the server (apps/server/src/main.ts)
 *   apps/server/dist/server/media-worker.mjs  the SFU's media worker thread (packages/sfu)
 *
 * Under `node --import tsx` Node 20 runs tsx's module hooks on a thread of their own, which
 * costs the process about 30 MB of resident memory (measured: 76 -> 45 MB for a started SFU
 * host, bench:sfu); the media worker was already bundled at start (packages/sfu
 * `worker-bundle.ts`), which needed esbuild at run time.
 *
 * esbuild bundles our own TypeScript (the apps and the @conclave/* workspace packages) and
 * leaves every npm package an import, resolved by Node from node_modules as before (werift,
 * native modules). The media worker goes next to the server, where packages/sfu
 * `workerEntryUrl()` looks for it when it runs bundled. The output directory has the depth of
 * apps/server/src/config, so paths relative to the source file (the web root,
 * `config.ts`) resolve the same. Tests and `npm run conclave` still run the sources under tsx.
 *
 *   node --import tsx scripts/build-server.ts
 */
import { isBuiltin } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = new URL('..', import.meta.url);

/** The media worker's file name next to a bundled server (packages/sfu/src/channel/spawn.ts). */
export const MEDIA_WORKER_FILE = 'media-worker.mjs';

/**
 * Bundles `entry` (a TypeScript file of ours) as `<outdir>/<name>.mjs` and the media worker as
 * `<outdir>/media-worker.mjs`. Returns the entry's output file.
 */
export const buildServer = async (entry: URL, outdir: URL, name = 'main'): Promise<string> => {
  const result = await esbuild.build({
    entryPoints: {
      [name]: fileURLToPath(entry),
      [MEDIA_WORKER_FILE.replace(/\.mjs$/, '')]: fileURLToPath(
        new URL('packages/sfu/src/worker/main.ts', root),
      ),
    },
    outdir: fileURLToPath(outdir),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    metafile: true,
    plugins: [
      {
        name: 'npm-packages-external',
        setup(b) {
          // bare specifiers other than our workspace packages stay imports of the package
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            if (isBuiltin(args.path) || !args.path.startsWith('@conclave/')) {
              return { path: args.path, external: true };
            }
            return undefined;
          });
        },
      },
    ],
  });
  const out = Object.keys(result.metafile.outputs).find((f) => f.endsWith(`${name}.mjs`));
  if (!out) throw new Error(`build-server: no output for ${name}`);
  return fileURLToPath(new URL(out, root));
};

if (import.meta.filename === process.argv[1]) {
  const file = await buildServer(
    new URL('apps/server/src/main.ts', root),
    new URL('apps/server/dist/server/', root),
  );
  process.stdout.write(`built ${file}\n`);
}
