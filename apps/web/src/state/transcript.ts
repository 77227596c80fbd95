import type { CaptionEntry, MeetingId } from '@conclave/protocol';

const pad = (n: number) => String(n).padStart(2, '0');
const utcTime = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
};

/** One line per utterance: time (UTC), breakout room if any, speaker, text. */
export function transcriptText(meetingId: MeetingId, entries: readonly CaptionEntry[]): string {
  const head = `Transcript of meeting ${meetingId} (live captions, machine-generated)\n\n`;
  const line = (e: CaptionEntry) =>
    `[${utcTime(e.at)}] ${e.room === undefined ? '' : `(${e.room}) `}${e.name}: ${e.text}`;
  return head + entries.map(line).join('\n') + '\n';
}
