// Where each person goes in the composed recording: a grid of equal tiles, or, while anyone
// shares a screen, the screen large on the left and the people in a column on the right.

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Layout {
  screen: Rect | null;
  tiles: Rect[];
}

export const CANVAS = { w: 1280, h: 720 } as const;

const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);

export function layoutFor(people: number, withScreen: boolean): Layout {
  const n = Math.max(1, people);
  if (withScreen) {
    const colW = even(CANVAS.w / 4);
    const tileH = even(Math.min(CANVAS.h / n, (colW * 9) / 16));
    return {
      screen: { x: 0, y: 0, w: CANVAS.w - colW, h: CANVAS.h },
      tiles: Array.from({ length: n }, (_, i) => ({
        x: CANVAS.w - colW,
        y: i * tileH,
        w: colW,
        h: tileH,
      })),
    };
  }
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const w = even(CANVAS.w / cols);
  const h = even(CANVAS.h / rows);
  return {
    screen: null,
    tiles: Array.from({ length: n }, (_, i) => ({
      x: (i % cols) * w,
      y: Math.floor(i / cols) * h,
      w,
      h,
    })),
  };
}
