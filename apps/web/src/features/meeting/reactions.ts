import type { Reaction } from '@conclave/protocol';

/** What each reaction says, for its menu item and for screen readers. */
export const REACTION_LABELS: Record<Reaction, string> & Record<string, string | undefined> = {
  'thumbs-up': 'Thumbs up',
  clap: 'Applause',
  heart: 'Love',
  laugh: 'Laughing',
  surprised: 'Surprised',
};
