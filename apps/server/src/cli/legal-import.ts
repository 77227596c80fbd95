import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { importHistorical, ImportFileError } from '../modules/legal/historical-import';
import type { LegalStore } from '../modules/legal/legal-store';
import { UsageError } from './commands';

/**
 * `conclave legal import FILE [--format csv|jsonl]`: past requests as closed historical ones, all
 * or nothing (docs/legal-import.md). The format follows the extension unless given.
 */
export async function legalImportCommand(
  legal: LegalStore,
  file: string | undefined,
  formatArg: string | undefined,
  now: Date,
): Promise<{ code: number; out: string }> {
  if (!file) throw new UsageError('a FILE is required (.csv or .jsonl)');
  const ext = extname(file).toLowerCase();
  const format =
    formatArg ?? (ext === '.csv' ? 'csv' : ext === '.jsonl' || ext === '.ndjson' ? 'jsonl' : '');
  if (format !== 'csv' && format !== 'jsonl')
    throw new UsageError('--format must be csv or jsonl (or name the file .csv / .jsonl)');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  try {
    const { importId, imported } = await importHistorical(
      legal,
      { text, format, fileName: basename(file) },
      { kind: 'system', id: 'cli' },
      now,
    );
    return {
      code: 0,
      out: `Imported ${imported} historical request(s) from ${basename(file)} (import ${importId}).`,
    };
  } catch (err) {
    if (err instanceof ImportFileError) return { code: 1, out: `Error in ${file}: ${err.message}` };
    throw err;
  }
}
