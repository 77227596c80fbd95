import { describe, expect, it } from 'vitest';
import { ISO_3166_ALPHA2 } from './iso3166';
import { iso2Schema } from './legal';

describe('ISO 3166-1 alpha-2 country codes', () => {
  it('holds the 249 assigned codes, each a region the runtime can name', () => {
    expect(ISO_3166_ALPHA2.size).toBe(249);
    const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
    for (const code of ISO_3166_ALPHA2) expect(names.of(code), code).toBeTruthy();
  });

  it('portal, agency and location forms refuse codes that only look like one', () => {
    expect(iso2Schema.safeParse('DE').success).toBe(true);
    for (const [code, message] of [
      ['XX', 'XX is not an ISO 3166-1 alpha-2 country code (e.g. US, GB, DE)'],
      ['ZZ', 'ZZ is not an ISO 3166-1 alpha-2 country code (e.g. US, GB, DE)'],
      ['UK', 'UK is not an ISO 3166-1 alpha-2 code: use GB'],
    ] as const) {
      const r = iso2Schema.safeParse(code);
      expect(r.success).toBe(false);
      expect(r.error?.issues[0]?.message).toBe(message);
    }
  });
});
