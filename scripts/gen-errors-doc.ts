// Writes docs/errors.md from the error catalogue (checked by packages/protocol/src/errors.test.ts).
import { writeFileSync } from 'node:fs';
import { ERRORS } from '../packages/protocol/src/errors';

let doc =
  '# Error codes\n\nEvery HTTP error body and every failed signaling response is `{ code, message }` with a code from this table (rate limits add `retryAfterSeconds`, also sent as the HTTP `Retry-After` header). Codes are stable; messages may be reworded.\n\n| code | HTTP status | message |\n|---|---|---|\n';
for (const [code, { status, message }] of Object.entries(ERRORS))
  doc += `| \`${code}\` | ${status} | ${message} |\n`;
writeFileSync(new URL('../docs/errors.md', import.meta.url), doc);
