// Builds the addon with the node-gyp that npm bundles, against the headers of the running Node
// (<prefix>/include/node, which carry Node's own OpenSSL headers), so nothing is downloaded. A
// failure is not an error: the SFU then seals and opens with node:crypto (index.cjs exports null).
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');

const prefix = dirname(dirname(process.execPath));
const headers = join(prefix, 'include', 'node', 'node_api.h');
const opensslHeaders = join(prefix, 'include', 'node', 'openssl', 'evp.h');
const skip = (why) => {
  process.stdout.write(`conclave-aead-native: not built (${why}); the SFU will use node:crypto\n`);
  process.exit(0);
};
if (!existsSync(headers) || !existsSync(opensslHeaders)) skip(`no Node headers under ${prefix}`);
// npm sets npm_config_node_gyp in its scripts; run by hand, take the node-gyp npm ships with
const bundledGyp = join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin');
const gyp = [process.env.npm_config_node_gyp, join(bundledGyp, 'node-gyp.js')].find(
  (file) => file !== undefined && existsSync(file),
);
const command = gyp ? [process.execPath, [gyp]] : ['node-gyp', []];
const result = spawnSync(command[0], [...command[1], 'rebuild', `--nodedir=${prefix}`], {
  cwd: __dirname,
  stdio: 'inherit',
  // node-gyp takes npm's nodedir setting over the flag; both name the local headers here
  env: { ...process.env, npm_config_nodedir: prefix },
});
if (result.status !== 0) skip('node-gyp failed');
