// Reads a vitest JSON report (scripts/test-all.sh): prints "<passed> <failed>" on the first line,
// then, bounded, the tests that were skipped (a test that needs a service says so in its name).
import { readFileSync } from 'node:fs';

const MAX_LISTED = 20;
const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const files = report.testResults ?? [];
// A file that failed without running a test (an import error, a crash) counts as one failure.
const brokenFiles = files.filter((f) => f.status === 'failed' && f.assertionResults.length === 0);
const failed = report.numFailedTests + (report.numRuntimeErrorTests ?? 0) + brokenFiles.length;
console.log(`${report.numPassedTests} ${failed}`);
const skipped = files.flatMap((f) =>
  f.assertionResults
    .filter((t) => t.status === 'skipped' || t.status === 'pending' || t.status === 'todo')
    .map((t) => t.fullName),
);
for (const name of skipped.slice(0, MAX_LISTED)) console.log(`skipped: ${name}`);
if (skipped.length > MAX_LISTED)
  console.log(`skipped: ... and ${skipped.length - MAX_LISTED} more`);
