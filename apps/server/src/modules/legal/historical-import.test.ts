import { describe, expect, it } from 'vitest';
import { ImportFileError, parseImportFile } from './historical-import';

const NOW = new Date('2026-12-01T00:00:00Z');
const HEADER = 'type,country,origin_country,received_at,outcome,accounts_specified,ndo';

/** The problems a file is refused with (it must be refused). */
function problems(text: string, format: 'csv' | 'jsonl' = 'csv'): string[] {
  try {
    parseImportFile(text, format, NOW);
  } catch (err) {
    if (err instanceof ImportFileError) return err.problems;
    throw err;
  }
  throw new Error('the file was accepted');
}

const jsonl = (...rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n');
const ok = {
  type: 'subpoena',
  country: 'US',
  received_at: '2024-02-03',
  outcome: 'rejected',
  accounts_specified: 1,
};

describe('legal import validation (issue 15)', () => {
  it('country codes must be assigned ISO 3166-1 codes, and UK is pointed to GB', () => {
    const p = problems(
      `${HEADER}\nsubpoena,XX,,2024-01-01,rejected,1,\nsubpoena,UK,,2024-01-01,rejected,1,\nmlat,US,ZZ,2024-01-01,rejected,1,\nsubpoena,gb,,2024-01-01,rejected,1,\n`,
    );
    expect(p).toEqual([
      'line 2: country: XX is not an ISO 3166-1 alpha-2 country code (e.g. US, GB, DE)',
      'line 3: country: UK is not an ISO 3166-1 alpha-2 code: use GB',
      'line 4: origin_country: ZZ is not an ISO 3166-1 alpha-2 country code (e.g. US, GB, DE)',
      'line 5: country: gb must be in capitals: GB',
    ]);
  });

  it('a CSV header that names a column twice is refused', () => {
    expect(problems(`${HEADER},ndo\nsubpoena,US,,2024-01-01,rejected,1,true,false\n`)).toEqual([
      'line 1: the header names the column ndo twice',
    ]);
  });

  it('a UTF-8 byte order mark is accepted in JSON Lines as in CSV', () => {
    expect(parseImportFile(`\uFEFF${jsonl(ok)}`, 'jsonl', NOW)).toHaveLength(1);
    expect(
      parseImportFile(`\uFEFF${HEADER}\nsubpoena,US,,2024-01-01,rejected,1,\n`, 'csv', NOW),
    ).toHaveLength(1);
  });

  it('booleans are only true or false', () => {
    const p = problems(
      `${HEADER}\nsubpoena,US,,2024-01-01,rejected,1,yes\nsubpoena,US,,2024-01-01,rejected,1,1\n`,
    );
    expect(p).toEqual(['line 2: ndo: must be true or false', 'line 3: ndo: must be true or false']);
    expect(problems(jsonl({ ...ok, ndo: 'no' }), 'jsonl')).toEqual([
      'line 1: ndo: must be true or false',
    ]);
    const [row] = parseImportFile(jsonl({ ...ok, ndo: true }), 'jsonl', NOW);
    expect(row?.ndo).toBe(true);
  });

  it('MLAT and CLOUD Act requests need an origin country; others may not have one', () => {
    expect(
      problems(
        jsonl(
          { ...ok, type: 'mlat' },
          { ...ok, type: 'cloud_act' },
          { ...ok, origin_country: 'DE' },
          { ...ok, type: 'letters_rogatory', origin_country: 'FR' },
        ),
        'jsonl',
      ),
    ).toEqual([
      'line 1: origin_country: is required for mlat requests (the country whose request it carries)',
      'line 2: origin_country: is required for cloud_act requests (the country whose request it carries)',
      'line 3: origin_country: is only for mlat, cloud_act and letters_rogatory requests, not subpoena',
    ]);
  });

  it('date errors name the expected format, with the line number', () => {
    const p = problems(
      jsonl(ok, { ...ok, received_at: '03/02/2024' }, { ...ok, received_at: '2024-02-30' }),
      'jsonl',
    );
    expect(p).toHaveLength(2);
    expect(p[0]).toBe(
      'line 2: received_at: must be a date YYYY-MM-DD (read as 00:00 UTC) or a UTC instant with an offset, e.g. 2024-02-03T10:00:00Z',
    );
    expect(p[1]).toMatch(/^line 3: received_at: must be a date YYYY-MM-DD/);
  });

  it('one bad row refuses the whole file, every problem listed', () => {
    expect(() => parseImportFile(jsonl(ok, { ...ok, country: 'XX' }, ok), 'jsonl', NOW)).toThrow(
      /1 problem\(s\); nothing was imported:\nline 2: country/,
    );
  });
});
