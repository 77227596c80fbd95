import { submitRequestSchema } from '@conclave/protocol';
import type { DataCategory, RequestType, SubmitRequestBody, TargetType } from '@conclave/protocol';

// The new-request form as data: kept in the portal store so nothing typed is lost on an error,
// turned into the wire body by one function that also names each problem's field.

export interface TargetDraft {
  key: string;
  type: TargetType;
  value: string;
}

/** `invalid`: refused before sending; `failed`: the server refused it. */
export type FileState = 'ready' | 'invalid' | 'uploading' | 'done' | 'failed';

export interface FileDraft {
  key: string;
  file: File;
  state: FileState;
  progress: number;
  error?: string;
}

export type NdoChoice = 'none' | 'dated' | 'undated';

export interface RequestDraft {
  idempotencyKey: string;
  type: RequestType | '';
  country: string;
  subdivision: string;
  originCountry: string;
  legalBasis: string;
  issuingAuthority: string;
  externalRef: string;
  description: string;
  targets: TargetDraft[];
  dataCategories: DataCategory[];
  /** yyyy-mm-dd, read as UTC days. */
  rangeFrom: string;
  rangeTo: string;
  deadline: string;
  ndo: NdoChoice;
  ndoEndDate: string;
  ndoCitation: string;
  files: FileDraft[];
  /** Set once the server stored the request; a retry then only uploads what is missing. */
  requestId?: string;
}

export type FieldErrors = Partial<Record<string, string>>;

export const FOREIGN_TYPES: readonly RequestType[] = ['mlat', 'cloud_act', 'letters_rogatory'];

let seq = 0;
export const newKey = (): string => `k${++seq}`;

export function emptyDraft(): RequestDraft {
  return {
    idempotencyKey: crypto.randomUUID(),
    type: '',
    country: '',
    subdivision: '',
    originCountry: '',
    legalBasis: '',
    issuingAuthority: '',
    externalRef: '',
    description: '',
    targets: [{ key: newKey(), type: 'email', value: '' }],
    dataCategories: [],
    rangeFrom: '',
    rangeTo: '',
    deadline: '',
    ndo: 'none',
    ndoEndDate: '',
    ndoCitation: '',
    files: [],
  };
}

const startOfDay = (d: string) => (d ? `${d}T00:00:00.000Z` : '');
const endOfDay = (d: string) => (d ? `${d}T23:59:59.999Z` : '');
const opt = (s: string) => (s.trim() ? s.trim() : undefined);

/** Field names as the form shows them (the zod path, with targets by position). */
function fieldOf(path: readonly PropertyKey[]): string {
  const [head, i, leaf] = path.map(String);
  if (head === 'targets' && i !== undefined) return `targets.${i}.${leaf ?? 'value'}`;
  if (head === 'ndo') return `ndo.${i ?? 'citation'}`;
  return head ?? 'form';
}

const REQUIRED_DATES: [keyof RequestDraft, string][] = [
  ['rangeFrom', 'Enter the first day of the date range.'],
  ['rangeTo', 'Enter the last day of the date range.'],
  ['deadline', 'Enter the response deadline.'],
];

export function toSubmitBody(
  d: RequestDraft,
): { ok: true; body: SubmitRequestBody } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  if (!d.type) errors.type = 'Choose the type of legal process.';
  for (const [k, msg] of REQUIRED_DATES) if (!d[k]) errors[k] = msg;
  if (d.ndo === 'dated' && !d.ndoEndDate)
    errors['ndo.endDate'] = 'Enter the date the nondisclosure order ends.';
  const raw = {
    idempotencyKey: d.idempotencyKey,
    type: d.type || undefined,
    country: d.country.trim().toUpperCase(),
    subdivision: opt(d.subdivision.toUpperCase()),
    originCountry: FOREIGN_TYPES.includes(d.type as RequestType)
      ? opt(d.originCountry.toUpperCase())
      : undefined,
    legalBasis: d.legalBasis,
    issuingAuthority: d.issuingAuthority,
    externalRef: opt(d.externalRef),
    description: d.description,
    targets: d.targets.map((t) => ({ type: t.type, value: t.value })),
    dataCategories: d.dataCategories,
    rangeFrom: startOfDay(d.rangeFrom),
    rangeTo: endOfDay(d.rangeTo),
    deadline: endOfDay(d.deadline),
    ndo:
      d.ndo === 'none'
        ? null
        : d.ndo === 'dated'
          ? { hasEndDate: true, endDate: endOfDay(d.ndoEndDate), citation: d.ndoCitation }
          : { hasEndDate: false, citation: d.ndoCitation },
  };
  const parsed = submitRequestSchema.safeParse(raw);
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const f = fieldOf(issue.path);
      errors[f] ??= friendly(f, issue.message);
    }
  if (Object.keys(errors).length > 0 || !parsed.success) return { ok: false, errors };
  return { ok: true, body: parsed.data };
}

const MESSAGES: Record<string, string> = {
  country: 'Enter the two-letter ISO country code (for example US).',
  subdivision: 'Enter the ISO subdivision code without the country (for example CA).',
  originCountry: 'Enter the two-letter ISO code of the country the request comes from.',
  legalBasis: 'Cite the law the request is made under.',
  issuingAuthority: 'Name the court or authority that issued it.',
  targets: 'Name at least one target.',
  dataCategories: 'Choose at least one category of data.',
  'ndo.citation': 'Cite the nondisclosure order.',
};

function friendly(field: string, message: string): string {
  if (field.startsWith('targets.')) return 'Enter the target (at most 254 characters).';
  if (field === 'rangeFrom' && message.includes('after')) return 'The range starts after it ends.';
  return MESSAGES[field] ?? message;
}

/** A field named by a server 400 message ("… (targets.0.value)."), if any. */
export function fieldOfServerMessage(message: string): string | undefined {
  const m = /\(([\w.]+)\)\.?$/.exec(message);
  return m?.[1];
}
