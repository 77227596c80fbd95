import { describe, expect, it } from 'vitest';
import { UtteranceSegmenter, wavFile } from './utterance-segmenter';

const RATE = 16_000;
const tone = (ms: number, amplitude = 8000) =>
  Int16Array.from({ length: (RATE * ms) / 1000 }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * 220 * i) / RATE)),
  );
const silence = (ms: number) => new Int16Array((RATE * ms) / 1000);

describe('UtteranceSegmenter', () => {
  it('cuts speech at a pause and leaves out the silence before it', () => {
    const out: Int16Array[] = [];
    const seg = new UtteranceSegmenter((pcm) => out.push(pcm));
    seg.push(silence(500));
    // written in uneven chunks, as packets arrive
    const speech = tone(1000);
    for (let i = 0; i < speech.length; i += 333) seg.push(speech.subarray(i, i + 333));
    seg.push(silence(1000));
    expect(out).toHaveLength(1);
    // one second of speech plus the 700 ms pause that ended it
    expect(out[0]!.length / RATE).toBeCloseTo(1.7, 1);
  });

  it('drops clicks shorter than the minimum speech length', () => {
    const out: Int16Array[] = [];
    const seg = new UtteranceSegmenter((pcm) => out.push(pcm));
    seg.push(tone(60));
    seg.push(silence(1000));
    expect(out).toHaveLength(0);
  });

  it('cuts a long monologue at the maximum utterance length and flushes the rest on close', () => {
    const out: Int16Array[] = [];
    const seg = new UtteranceSegmenter((pcm) => out.push(pcm));
    seg.push(tone(20_000));
    expect(out).toHaveLength(1);
    expect(out[0]!.length / RATE).toBeCloseTo(15, 1);
    seg.flush();
    expect(out).toHaveLength(2);
    expect(out[1]!.length / RATE).toBeCloseTo(5, 1);
  });
});

describe('wavFile', () => {
  it('writes a RIFF/WAVE header for 16-bit mono PCM', () => {
    const wav = wavFile(tone(100));
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 12)).toBe('WAVE');
    expect(wav.readUInt16LE(22)).toBe(1);
    expect(wav.readUInt32LE(24)).toBe(RATE);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.readUInt32LE(40)).toBe(1600 * 2);
    expect(wav.length).toBe(44 + 3200);
  });
});
