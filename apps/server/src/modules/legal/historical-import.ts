import { createHash, randomUUID } from 'node:crypto';
import { iso3166Problem, requestTypeSchema } from '@conclave/protocol';
import type { Outcome } from '@conclave/protocol';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { Actor } from './actor';
import { audit } from './actor';
import { COUNTED_KEY, countedFacts } from './counted-facts';
import type { LegalRequestRecord, LegalStore } from './legal-store';

// `conclave legal import FILE`: past requests kept elsewhere, imported as closed historical
// requests so the first transparency reports can cover earlier periods. Format: docs/legal-import.md.

/** The placeholder requester (and its agency) every imported request hangs off. */
export const HISTORICAL_REQUESTER_ID = 'historical-import';

/** A closed request has a final outcome: "challenged" keeps a request open, so it is refused. */
const CLOSED_OUTCOMES = [
  'rejected',
  'withdrawn',
  'no_data',
  'general_information',
  'non_content_disclosed',
  'content_disclosed',
  'preserved',
  'access_withheld',
] as const satisfies readonly Outcome[];

const DATE_FORMAT =
  'must be a date YYYY-MM-DD (read as 00:00 UTC) or a UTC instant with an offset, e.g. 2024-02-03T10:00:00Z';
const instant = z
  .string({ error: DATE_FORMAT })
  .refine(
    (s) =>
      (z.iso.date().safeParse(s).success ||
        z.iso.datetime({ offset: true }).safeParse(s).success) &&
      !Number.isNaN(new Date(s).getTime()),
    DATE_FORMAT,
  )
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00.000Z` : s));
/** Only the words the docs name: `true` or `false` (JSON booleans or CSV text); absent is false. */
const flag = z
  .union([z.boolean(), z.enum(['true', 'false'])], { error: 'must be true or false' })
  .optional()
  .transform((v) => v === true || v === 'true');
const country = z.string().superRefine((code, ctx) => {
  const problem = iso3166Problem(code);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
/** Requests that come through another country's authorities name that country (DESIGN §6). */
const ORIGIN_REQUIRED = ['mlat', 'cloud_act'];
const ORIGIN_ALLOWED = [...ORIGIN_REQUIRED, 'letters_rogatory'];
const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .transform((v) => (v ? v : null));

const rowSchema = z
  .object({
    type: requestTypeSchema,
    country,
    origin_country: z.union([country, z.literal('')]).optional(),
    received_at: instant,
    closed_at: z.union([instant, z.literal('')]).optional(),
    outcome: z.enum(CLOSED_OUTCOMES),
    accounts_specified: z.coerce.number().int().min(0).max(1_000_000),
    ndo: flag,
    emergency: flag,
    preservation: flag,
    national_security: flag,
    authority: optionalText(300),
    external_ref: optionalText(200),
  })
  .strict()
  .superRefine((r, ctx) => {
    const closed = r.closed_at || r.received_at;
    if (closed < r.received_at)
      ctx.addIssue({ code: 'custom', path: ['closed_at'], message: 'is before received_at' });
    if (ORIGIN_REQUIRED.includes(r.type) && !r.origin_country)
      ctx.addIssue({
        code: 'custom',
        path: ['origin_country'],
        message: `is required for ${r.type} requests (the country whose request it carries)`,
      });
    if (r.origin_country && !ORIGIN_ALLOWED.includes(r.type))
      ctx.addIssue({
        code: 'custom',
        path: ['origin_country'],
        message: `is only for mlat, cloud_act and letters_rogatory requests, not ${r.type}`,
      });
  });
type Row = z.infer<typeof rowSchema>;

export class ImportFileError extends Error {
  override name = 'ImportFileError';
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s); nothing was imported:\n${problems.join('\n')}`);
  }
}

interface Numbered {
  line: number;
  value: unknown;
}

function readJsonLines(text: string, problems: string[]): Numbered[] {
  const out: Numbered[] = [];
  // A UTF-8 byte order mark, as spreadsheet exports write it (accepted in CSV too).
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, i) => {
      if (raw.trim() === '') return;
      try {
        out.push({ line: i + 1, value: JSON.parse(raw) as unknown });
      } catch {
        problems.push(`line ${i + 1}: not valid JSON`);
      }
    });
  return out;
}

class DuplicateColumn extends Error {
  constructor(readonly column: string) {
    super(`duplicate column ${column}`);
  }
}

function readCsv(text: string, problems: string[]): Numbered[] {
  try {
    const records = parseCsv<{ record: Record<string, string>; info: { lines: number } }>(text, {
      // A column named twice would silently keep only its last cell.
      columns: (header: string[]) => {
        const seen = new Set<string>();
        for (const name of header) {
          if (seen.has(name)) throw new DuplicateColumn(name);
          seen.add(name);
        }
        return header;
      },
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
    });
    return records.map((r) => ({
      line: r.info.lines,
      // An empty optional cell means "not given".
      value: Object.fromEntries(Object.entries(r.record).filter(([, v]) => v !== '')),
    }));
  } catch (err) {
    if (err instanceof DuplicateColumn) {
      problems.push(`line 1: the header names the column ${err.column} twice`);
      return [];
    }
    const line = (err as { lines?: number }).lines;
    problems.push(`line ${line ?? '?'}: ${(err as Error).message}`);
    return [];
  }
}

function describe(issue: z.core.$ZodIssue): string {
  const field = issue.path.join('.');
  return field ? `${field}: ${issue.message}` : issue.message;
}

/** Parses and validates a whole file; throws ImportFileError listing every bad line. */
export function parseImportFile(text: string, format: 'csv' | 'jsonl', now: Date): Row[] {
  const problems: string[] = [];
  const raw = format === 'csv' ? readCsv(text, problems) : readJsonLines(text, problems);
  const rows: Row[] = [];
  for (const { line, value } of raw) {
    const r = rowSchema.safeParse(value);
    if (!r.success) {
      problems.push(`line ${line}: ${r.error.issues.map(describe).join('; ')}`);
      continue;
    }
    if (r.data.received_at > now) problems.push(`line ${line}: received_at is in the future`);
    rows.push(r.data);
  }
  if (raw.length === 0 && problems.length === 0) problems.push('the file holds no requests');
  if (problems.length) throw new ImportFileError(problems);
  return rows;
}

function toRecord(r: Row, importId: string, n: number, now: Date): LegalRequestRecord {
  const type = r.type;
  return {
    id: randomUUID(),
    requesterId: HISTORICAL_REQUESTER_ID,
    agencyId: HISTORICAL_REQUESTER_ID,
    idempotencyKey: `import:${importId}:${n}`,
    receivedAt: r.received_at,
    type,
    country: r.country,
    subdivision: null,
    originCountry: r.origin_country || null,
    legalBasis: 'historical import',
    issuingAuthority: r.authority ?? 'unknown (historical import)',
    externalRef: r.external_ref,
    description: '',
    isEmergency: r.emergency || type === 'emergency',
    isPreservation: r.preservation || type === 'preservation' || type === 'preservation_extension',
    isNationalSecurity: r.national_security || type === 'national_security',
    wantsSubscriberInfo: false,
    wantsNonContent: false,
    wantsContent: false,
    accountsSpecified: r.accounts_specified,
    rangeFrom: r.received_at,
    rangeTo: r.received_at,
    deadlineAt: r.received_at,
    hasNdo: r.ndo,
    ndoEndAt: null,
    ndoCitation: null,
    ndoValid: null,
    emergencyOverAt: null,
    status: r.outcome === 'withdrawn' ? 'withdrawn' : 'closed',
    outcome: r.outcome,
    closedAt: r.closed_at || r.received_at,
    updatedAt: now,
    // Historical records carry no account identifiers: reports count, they never name.
    targets: [],
  };
}

/** Imports every row in one transaction with one audit entry, or nothing. */
export async function importHistorical(
  legal: LegalStore,
  input: { text: string; format: 'csv' | 'jsonl'; fileName: string },
  actor: Actor,
  now: Date,
): Promise<{ importId: string; imported: number }> {
  const rows = parseImportFile(input.text, input.format, now);
  const importId = randomUUID();
  await legal.transaction(async (tx) => {
    if (!(await tx.requesters.findRequesterById(HISTORICAL_REQUESTER_ID))) {
      await tx.requesters.insertAgency({
        id: HISTORICAL_REQUESTER_ID,
        name: 'Historical import',
        country: 'ZZ',
        subdivision: null,
        level: 'other',
        emailDomains: ['historical-import.invalid'],
        createdAt: now,
      });
      await tx.requesters.insertRequester({
        id: HISTORICAL_REQUESTER_ID,
        agencyId: HISTORICAL_REQUESTER_ID,
        email: 'historical-import@invalid',
        fullName: 'Historical import',
        badgeNumber: '',
        phone: '',
        mailingAddress: '',
        passwordHash: '!',
        emailVerifiedAt: null,
        totpSecret: null,
        totpPendingSecret: null,
        totpLastStep: 0,
        attestationVersion: null,
        attestationAcceptedAt: null,
        // Nobody signs in as the placeholder.
        status: 'suspended',
        createdAt: now,
      });
    }
    const records = rows.map((r, i) => toRecord(r, importId, i + 1, now));
    for (const record of records) await tx.requests.insertRequest(record);
    await audit(tx, now, actor, 'request.imported', 'request', importId, null, {
      file: input.fileName,
      format: input.format,
      sha256: createHash('sha256').update(input.text).digest('hex'),
      rows: rows.length,
      // What the reports count of each imported request, for `transparency verify` to replay.
      [COUNTED_KEY]: records.map(countedFacts),
    });
  });
  return { importId, imported: rows.length };
}
