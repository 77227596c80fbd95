import { describe, expect, it } from 'vitest';
import { checkFile } from './file-checks';
import { emptyDraft, fieldOfServerMessage, toSubmitBody } from './request-draft';
import type { RequestDraft } from './request-draft';

const filled = (over: Partial<RequestDraft> = {}): RequestDraft => ({
  ...emptyDraft(),
  type: 'court_order',
  country: 'us',
  subdivision: 'ca',
  legalBasis: '18 U.S.C. § 2703(d)',
  issuingAuthority: 'Superior Court',
  targets: [{ key: 't1', type: 'email', value: 'sam@customer.test' }],
  dataCategories: ['basic_subscriber_info'],
  rangeFrom: '2026-01-01',
  rangeTo: '2026-02-01',
  deadline: '2026-12-31',
  ...over,
});

describe('the new-request draft', () => {
  it('a complete draft becomes the wire body with UTC day bounds and upper-case ISO codes', () => {
    const out = toSubmitBody(filled());
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.body).toMatchObject({
      type: 'court_order',
      country: 'US',
      subdivision: 'CA',
      rangeFrom: '2026-01-01T00:00:00.000Z',
      rangeTo: '2026-02-01T23:59:59.999Z',
      deadline: '2026-12-31T23:59:59.999Z',
      ndo: null,
    });
    expect(out.body.originCountry).toBeUndefined();
  });

  it('an empty draft names every missing field', () => {
    const out = toSubmitBody(emptyDraft());
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(Object.keys(out.errors).sort()).toEqual(
      [
        'country',
        'dataCategories',
        'deadline',
        'issuingAuthority',
        'legalBasis',
        'rangeFrom',
        'rangeTo',
        'targets.0.value',
        'type',
      ].sort(),
    );
  });

  it('a dated nondisclosure order needs its end date and citation; an undated one only the citation', () => {
    const dated = toSubmitBody(filled({ ndo: 'dated' }));
    expect(dated.ok ? {} : dated.errors).toMatchObject({
      'ndo.endDate': expect.any(String),
      'ndo.citation': expect.any(String),
    });
    const undated = toSubmitBody(filled({ ndo: 'undated', ndoCitation: '§ 2705(b)' }));
    expect(undated.ok && undated.body.ndo).toEqual({ hasEndDate: false, citation: '§ 2705(b)' });
  });

  it('a range that ends before it starts is flagged on the start field', () => {
    const out = toSubmitBody(filled({ rangeFrom: '2026-03-01', rangeTo: '2026-02-01' }));
    expect(out.ok ? {} : out.errors).toEqual({ rangeFrom: 'The range starts after it ends.' });
  });

  it('the origin country is sent only for MLAT, CLOUD Act and letters rogatory', () => {
    const mlat = toSubmitBody(filled({ type: 'mlat', originCountry: 'fr' }));
    expect(mlat.ok && mlat.body.originCountry).toBe('FR');
    const order = toSubmitBody(filled({ originCountry: 'fr' }));
    expect(order.ok && order.body.originCountry).toBeUndefined();
  });

  it('a server 400 names its field at the end of the message', () => {
    expect(fieldOfServerMessage('Invalid input (targets.1.value).')).toBe('targets.1.value');
    expect(fieldOfServerMessage('The request is not valid.')).toBeUndefined();
  });
});

describe('file checks before upload', () => {
  const file = (name: string, size: number, type: string) =>
    new File([new Uint8Array(size)], name, { type });
  it('refuses a non-PDF, an oversized and an empty file with its name in the message', () => {
    expect(checkFile(file('a.txt', 10, 'text/plain'), 100)).toMatch(/a\.txt is not a PDF/);
    expect(checkFile(file('b.pdf', 200, 'application/pdf'), 100)).toMatch(/b\.pdf is 1 KB/);
    expect(checkFile(file('c.pdf', 0, 'application/pdf'), 100)).toMatch(/c\.pdf is empty/);
    expect(checkFile(file('d.PDF', 10, ''), 100)).toBeUndefined();
  });
});
