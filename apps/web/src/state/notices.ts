/**
 * Meeting notices as toasts: each notice has a subject, and a newer notice on the same subject
 * replaces the older one, so the screen never shows "turned on" next to "turned off". Every
 * notice also goes to a short history the user can open (the notifications panel).
 */

export type NoticeTone = 'info' | 'warning';

export interface Notice {
  id: number;
  /** What the notice is about; one visible toast per subject. */
  subject: string;
  tone: NoticeTone;
  text: string;
  /** Epoch ms when it was raised. */
  at: number;
  /** The end-to-end encryption state this notice reports; hidden once the state differs. */
  claim?: 'e2ee-on' | 'e2ee-off';
  /** A help request: the host may go straight to that breakout room. */
  joinRoom?: { index: number; name: string };
}

/** How long a toast stays: warnings longer, as they may need reading twice. */
export const TOAST_MS: Record<NoticeTone, number> = { info: 8_000, warning: 15_000 };
/** After the pointer or focus leaves the toasts, they go this much later. */
export const TOAST_RESUME_MS = 4_000;
/** At most this many toasts at once; older ones leave the screen (they stay in the history). */
export const MAX_TOASTS = 3;
/** The history keeps the latest notices of the meeting. */
export const MAX_HISTORY = 50;

interface Classified {
  subject: string;
  claim?: Notice['claim'];
}

const RULES: [RegExp, Classified][] = [
  [/turned on end-to-end encryption/, { subject: 'e2ee', claim: 'e2ee-on' }],
  [/turned off end-to-end encryption\.$/, { subject: 'e2ee', claim: 'e2ee-off' }],
  [/^End-to-end encryption is off:/, { subject: 'e2ee', claim: 'e2ee-off' }],
  [
    /^End-to-end encryption was turned off so you could join/,
    { subject: 'e2ee', claim: 'e2ee-off' },
  ],
  [/^End-to-end encryption stays on;/, { subject: 'e2ee', claim: 'e2ee-on' }],
  [/cannot do end-to-end encryption\. Encryption turns off/, { subject: 'e2ee-downgrade' }],
  [/^Participants changed: new encryption keys/, { subject: 'e2ee-keys' }],
  [/live captions|^Live captions/, { subject: 'captions' }],
  [/^You are now in breakout room|^You are back in the main room/, { subject: 'breakout-room' }],
  [/^Message from .+ to all rooms:/, { subject: 'breakout-message' }],
  [/recording|Recording/, { subject: 'recording' }],
  [/in the waiting room\./, { subject: 'waiting-room' }],
  [/^The host muted your microphone/, { subject: 'muted-by-host' }],
  [/ raised their hand\.$/, { subject: 'hands' }],
];

/**
 * The subject of a notice from its text. Notices the client library raises carry only text;
 * unknown texts are their own subject, so two different warnings both stay visible.
 */
export function classifyNotice(text: string): Classified {
  for (const [re, c] of RULES) if (re.test(text)) return c;
  return { subject: `text:${text}` };
}

/** The toasts after `notice` arrives: it replaces any toast on its subject and goes last. */
export function addToast(toasts: readonly Notice[], notice: Notice): Notice[] {
  return [...toasts.filter((t) => t.subject !== notice.subject), notice].slice(-MAX_TOASTS);
}

/** The history after `notice` arrives, newest first. */
export function addToHistory(history: readonly Notice[], notice: Notice): Notice[] {
  return [notice, ...history].slice(0, MAX_HISTORY);
}

/** A toast that contradicts the current state is stale and not shown (it stays in the history). */
export function isStale(n: Notice, state: { e2eeOn: boolean }): boolean {
  if (n.claim === 'e2ee-on') return !state.e2eeOn;
  if (n.claim === 'e2ee-off') return state.e2eeOn;
  return false;
}
