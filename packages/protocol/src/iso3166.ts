// ISO 3166-1 alpha-2: the 249 officially assigned country codes (ISO 3166 Maintenance Agency).
// Requesting jurisdictions become rows of the public transparency report, so a code must name a
// country, not merely look like one (`XX`, `UK` and `ZZ` used to pass).

const CODES = `
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ
EC EE EG EH ER ES ET
FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ
OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA
RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ
VA VC VE VG VI VN VU
WF WS
YE YT
ZA ZM ZW
`;

export const ISO_3166_ALPHA2: ReadonlySet<string> = new Set(CODES.trim().split(/\s+/));

/** Codes people type that ISO assigns differently (exceptionally reserved or common mistakes). */
const INSTEAD: Readonly<Record<string, string>> = {
  UK: 'GB', // the United Kingdom is GB; UK is only exceptionally reserved
  EL: 'GR', // the EU's code for Greece
  // Withdrawn codes, for records older than their replacement.
  SU: 'RU',
  DD: 'DE',
  YU: 'RS',
  CS: 'RS',
  ZR: 'CD',
  TP: 'TL',
  BU: 'MM',
};

export function isIso3166Alpha2(code: string): boolean {
  return ISO_3166_ALPHA2.has(code);
}

/** Why `code` is not a country code, with the code meant when that is clear. */
export function iso3166Problem(code: string): string | undefined {
  if (ISO_3166_ALPHA2.has(code)) return undefined;
  const meant = INSTEAD[code.toUpperCase()];
  if (meant) return `${code} is not an ISO 3166-1 alpha-2 code: use ${meant}`;
  if (ISO_3166_ALPHA2.has(code.toUpperCase()))
    return `${code} must be in capitals: ${code.toUpperCase()}`;
  return `${code} is not an ISO 3166-1 alpha-2 country code (e.g. US, GB, DE)`;
}
