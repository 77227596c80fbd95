import type { CaptionEntry, MeetingId, ParticipantId } from '@conclave/protocol';
import { describe, expect, it } from 'vitest';
import { transcriptText } from './transcript';

const entry = (name: string, text: string, room?: string): CaptionEntry => ({
  id: `${name}-${text}`,
  participantId: `${name}-id` as ParticipantId,
  name,
  text,
  at: Date.UTC(2026, 0, 2, 3, 4, 5),
  ...(room === undefined ? {} : { room }),
});

describe('transcript download', () => {
  it('has one line per utterance with UTC time and speaker, breakout lines labelled with their room', () => {
    const text = transcriptText('abc-defg-hij' as MeetingId, [
      entry('Gus', 'hello everyone'),
      entry('Bea', 'we start with item one', 'Room 1'),
    ]);
    expect(text.split('\n')).toEqual([
      'Transcript of meeting abc-defg-hij (live captions, machine-generated)',
      '',
      '[2026-01-02 03:04:05 UTC] Gus: hello everyone',
      '[2026-01-02 03:04:05 UTC] (Room 1) Bea: we start with item one',
      '',
    ]);
  });
});
