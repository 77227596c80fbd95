// Field-by-field comparison of two reports, for `conclave transparency verify`. Rows of the
// per-country tables are matched by their key (country, and process for user-data rows), not by
// position, so a row that appears or disappears is one difference, not a shifted table.

export interface ReportDifference {
  /** e.g. `userData[US/subpoena].outcomes.content`. */
  path: string;
  published: unknown;
  recomputed: unknown;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function rowKey(v: Json, index: number): string {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const country = v.country;
    const process = v.process;
    if (typeof country === 'string')
      return typeof process === 'string' ? `${country}/${process}` : country;
  }
  return String(index);
}

function keyed(list: Json[]): Map<string, Json> {
  return new Map(list.map((v, i) => [rowKey(v, i), v]));
}

function walk(path: string, a: Json | undefined, b: Json | undefined, out: ReportDifference[]) {
  if (Array.isArray(a) && Array.isArray(b)) {
    const ka = keyed(a);
    const kb = keyed(b);
    for (const k of new Set([...ka.keys(), ...kb.keys()]))
      walk(`${path}[${k}]`, ka.get(k), kb.get(k), out);
    return;
  }
  const isObj = (v: unknown): v is { [k: string]: Json } =>
    v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      walk(path ? `${path}.${k}` : k, a[k], b[k], out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b))
    out.push({ path, published: a ?? null, recomputed: b ?? null });
}

/** Every leaf that differs; `computedAt` is ignored (it is when, not what). */
export function diffReports(published: unknown, recomputed: unknown): ReportDifference[] {
  const out: ReportDifference[] = [];
  walk('', published as Json, recomputed as Json, out);
  return out.filter((d) => d.path !== 'computedAt');
}
