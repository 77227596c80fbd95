import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page (injected as a script, no browser extension) and returns the
 * serious and critical violations, each with the elements it found.
 */
export async function axeSerious(page: Page): Promise<AxeViolation[]> {
  const has = await page.evaluate(() => 'axe' in window);
  // Evaluated through the DevTools protocol: the app's CSP (script-src 'self') blocks inline tags.
  if (!has) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    interface Result {
      id: string;
      impact: string | null;
      help: string;
      nodes: { target: string[] }[];
    }
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: Result[] }> };
      }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
      }));
  });
}

/** Console errors and uncaught exceptions of a page, from now on. */
export function consoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** Screenshots kept as test artifacts (looked at by people, not compared to goldens). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  const dir = join(process.cwd(), 'test-results', 'screens');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}

export interface TileBox {
  id: string | null;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The video shown in the tile: its element box, its frame size, and how it is fitted. */
  video: {
    width: number;
    height: number;
    videoWidth: number;
    videoHeight: number;
    fit: string;
  } | null;
}

/** Every visible tile's box and video, as the page lays them out. */
export function tileBoxes(page: Page): Promise<TileBox[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('[data-testid="tile"]')].map((t) => {
      const r = t.getBoundingClientRect();
      const v = t.querySelector('video');
      const vr = v?.getBoundingClientRect();
      return {
        id: t.dataset.participantId ?? null,
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
        video:
          v && vr
            ? {
                width: vr.width,
                height: vr.height,
                videoWidth: v.videoWidth,
                videoHeight: v.videoHeight,
                fit: getComputedStyle(v).objectFit,
              }
            : null,
      };
    }),
  );
}

/**
 * The picture as drawn: with object-fit contain the frame is scaled to fit the element whole
 * (letterboxed), with cover it is scaled to fill it (cropped). Returns the drawn aspect ratio and
 * the share of the frame that is visible.
 */
export function drawnPicture(v: NonNullable<TileBox['video']>): {
  aspect: number;
  visible: number;
} {
  const frame = v.videoWidth / v.videoHeight;
  if (v.fit === 'contain' || v.fit === 'scale-down') return { aspect: frame, visible: 1 };
  if (v.fit === 'cover') {
    const box = v.width / v.height;
    return { aspect: box, visible: Math.min(box / frame, frame / box) };
  }
  return { aspect: v.width / v.height, visible: 1 };
}
