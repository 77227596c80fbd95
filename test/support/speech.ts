import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

/**
 * Test speech: espeak-ng's female US voice at 120 words per minute was the voice PocketSphinx's
 * default English model recognised best in our trials (words like "please", "open", "window").
 */
export const TEST_SENTENCE =
  'Please open the door. Please close the window. We will discuss the project schedule.';
/** Words of TEST_SENTENCE that a recognizer may be expected to get. */
export const TEST_WORDS = [
  'please',
  'open',
  'door',
  'close',
  'window',
  'discuss',
  'project',
  'schedule',
];

export const hasEspeak = (): boolean => {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

/** A 16-bit mono WAV (22 050 Hz) of `text`, with `padSeconds` of silence before and after. */
export function speechWav(text = TEST_SENTENCE, padSeconds = 1): Buffer {
  const wav = execFileSync('espeak-ng', ['-v', 'en-us+f2', '-s', '120', '--stdout', text]);
  const rate = wav.readUInt32LE(24);
  const dataAt = wav.indexOf('data', 12, 'ascii');
  const pcm = wav.subarray(dataAt + 8);
  const pad = Buffer.alloc(Math.round(rate * padSeconds) * 2);
  const data = Buffer.concat([pad, pcm, pad]);
  const header = Buffer.from(wav.subarray(0, 44));
  header.writeUInt32LE(36 + data.length, 4);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header.subarray(0, 44), data]);
}

export function writeSpeechWav(file: string, text = TEST_SENTENCE): string {
  writeFileSync(file, speechWav(text));
  return file;
}

/** 16 kHz mono PCM of a WAV made by speechWav() (linear resampling is enough for a test). */
export function pcm16k(wav: Buffer): Int16Array {
  const rate = wav.readUInt32LE(24);
  const src = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.length));
  const out = new Int16Array(Math.floor((src.length * 16_000) / rate));
  for (let i = 0; i < out.length; i++) {
    const x = (i * rate) / 16_000;
    const j = Math.floor(x);
    const a = src[j] ?? 0;
    const b = src[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (x - j));
  }
  return out;
}

/** How many of TEST_WORDS appear in `text`. */
export const matchedWords = (text: string): string[] =>
  TEST_WORDS.filter((w) => text.toLowerCase().includes(w));
