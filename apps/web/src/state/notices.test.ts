import { describe, expect, it } from 'vitest';
import { addToast, classifyNotice, isStale, MAX_TOASTS } from './notices';
import type { Notice } from './notices';

let id = 0;
const n = (text: string): Notice => ({
  id: ++id,
  ...classifyNotice(text),
  tone: 'info',
  text,
  at: id,
});

describe('notices', () => {
  it('a newer notice on the same subject replaces the older one', () => {
    let t = addToast([], n('Hana Host turned on end-to-end encryption.'));
    t = addToast(t, n('Hana Host turned off end-to-end encryption.'));
    expect(t.map((x) => x.text)).toEqual(['Hana Host turned off end-to-end encryption.']);
    t = addToast(t, n('You are now in breakout room Room 1.'));
    t = addToast(t, n('You are back in the main room.'));
    expect(t.map((x) => x.subject)).toEqual(['e2ee', 'breakout-room']);
    t = addToast(t, n('Sam turned on live captions. The server transcribes what is said.'));
    t = addToast(t, n('Live captions are off.'));
    expect(t.filter((x) => x.subject === 'captions')).toHaveLength(1);
  });

  it('different warnings are different subjects; at most a few toasts at once', () => {
    let t: Notice[] = [];
    for (const w of ['a', 'b', 'c', 'd', 'e']) t = addToast(t, n(`Warning ${w}`));
    expect(t).toHaveLength(MAX_TOASTS);
    expect(t.at(-1)!.text).toBe('Warning e');
  });

  it('a notice that contradicts the current E2EE state is stale', () => {
    const on = n('Hana Host turned on end-to-end encryption.');
    expect(isStale(on, { e2eeOn: false })).toBe(true);
    expect(isStale(on, { e2eeOn: true })).toBe(false);
    const off = n('End-to-end encryption is off: Olga joined from Old, which cannot do it.');
    expect(isStale(off, { e2eeOn: true })).toBe(true);
    expect(
      isStale(n('Live captions stopped: end-to-end encryption is being turned on.'), {
        e2eeOn: false,
      }),
    ).toBe(false);
  });
});
