// The addon, or null when it was not built (see build.cjs): callers fall back to node:crypto.
'use strict';
let binding = null;
try {
  binding = require('./build/Release/aead_context.node');
} catch {
  binding = null;
}
module.exports = binding;
