import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Version = [number, number, number];

const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v.split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : 0));
  return [a, b, c];
};
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** Whether `v` satisfies an npm `engines` range (the comparator forms packages use there). */
function satisfies(v: Version, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .filter((t) => t !== '' && t !== '*' && t !== 'x')
      .every((token) => {
        const [, op = '', ver = '0'] = /^([<>=^~]*)v?(.*)$/.exec(token) ?? [];
        const w = parse(ver);
        const c = cmp(v, w);
        if (op === '>=') return c >= 0;
        if (op === '>') return c > 0;
        if (op === '<=') return c <= 0;
        if (op === '<') return c < 0;
        if (op === '^') return c >= 0 && v[0] === w[0];
        if (op === '~') return c >= 0 && v[0] === w[0] && v[1] === w[1];
        // "20", "20.x", "20.19": a partial version matches what it leaves open.
        const parts = ver.split('.').filter((x) => /^\d+$/.test(x)).length;
        return v.slice(0, parts).every((n, i) => n === w[i]);
      }),
  );
}

// `npm ci` warned EBADENGINE (cookie@2 needs Node 22) while the README declares Node 20.19+.
// Every installed package must run on the oldest Node the project declares.
describe('declared runtime', () => {
  it('reads engine ranges as npm does', () => {
    expect(satisfies([20, 19, 0], '>=22')).toBe(false);
    expect(satisfies([20, 19, 0], '^20.19.0 || >=22.12.0')).toBe(true);
    expect(satisfies([20, 19, 0], '>= 14.17.0')).toBe(true);
    expect(satisfies([20, 19, 0], '^18.0.0')).toBe(false);
    expect(satisfies([20, 19, 0], '18 || 20 || >=22')).toBe(true);
    expect(satisfies([20, 19, 0], '>=18 <20')).toBe(false);
  });

  it('no locked package requires a newer Node than the project declares', () => {
    const read = (path: string) =>
      JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')) as unknown;
    const lock = read('package-lock.json') as {
      packages: Record<string, { version?: string; engines?: unknown; optional?: boolean }>;
    };
    const declared = (read('package.json') as { engines: { node: string } }).engines.node;
    const oldest = parse(/[\d.]+/.exec(declared)![0]);
    const refused = Object.entries(lock.packages)
      .filter(([path, p]) => path.includes('node_modules/') && !p.optional)
      .flatMap(([path, p]) => {
        const range = (p.engines as { node?: unknown } | undefined)?.node;
        return typeof range === 'string' && !satisfies(oldest, range)
          ? [`${path}@${p.version} needs node ${range}`]
          : [];
      });
    expect(refused).toEqual([]);
  });
});
