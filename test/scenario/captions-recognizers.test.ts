import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { PocketSphinxRecognizer } from '../../apps/server/src/rtc/captions/pocketsphinx';
import { WhisperHttpRecognizer } from '../../apps/server/src/rtc/captions/whisper-http';
import { hasEspeak, matchedWords, pcm16k, speechWav } from '../support/speech';

// The speech engines behind live captions, fed real synthetic speech (espeak-ng).
const pocketsphinx = new PocketSphinxRecognizer();
const engineReady = pocketsphinx.status().available && hasEspeak();
const required = process.env.CONCLAVE_REQUIRE_CAPTIONS_ENGINE === '1';
if (!engineReady && !required)
  console.warn(
    'SKIPPED PocketSphinx tests: install pocketsphinx, pocketsphinx-en-us and espeak-ng (CI installs them)',
  );

/** Writes PCM in 20 ms chunks, `speed` times faster than real time. */
async function feed(write: (pcm: Int16Array) => void, pcm: Int16Array, speed = 4): Promise<void> {
  for (let i = 0; i < pcm.length; i += 320) {
    write(pcm.subarray(i, i + 320));
    if ((i / 320) % 10 === 9) await new Promise((r) => setTimeout(r, 200 / speed));
  }
}

describe.skipIf(!engineReady && !required)('PocketSphinx recognizer', () => {
  it('offers the installed English model as en-US', () => {
    expect(pocketsphinx.status()).toEqual({
      available: true,
      engine: 'pocketsphinx',
      languages: expect.arrayContaining(['en-US']),
    });
  });

  it('transcribes spoken words, one line per utterance, while audio streams in', async () => {
    const texts: string[] = [];
    const errors: Error[] = [];
    const stream = pocketsphinx.openStream('en-US', {
      onText: (t) => texts.push(t),
      onError: (e) => errors.push(e),
    });
    await feed((pcm) => stream.write(pcm), pcm16k(speechWav()));
    // text arrives before the stream ends: captions are live, not batch
    await expect.poll(() => texts.length, { timeout: 15_000 }).toBeGreaterThan(0);
    stream.close();
    await new Promise((r) => setTimeout(r, 1000));
    expect(matchedWords(texts.join(' ')).length).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  it('refuses a language without a model, with the catalogue error', () => {
    expect(() => pocketsphinx.openStream('de-DE', { onText() {}, onError() {} })).toThrow(
      expect.objectContaining({ code: 'CAPTIONS_LANGUAGE_UNSUPPORTED' }),
    );
  });
});

describe('PocketSphinx missing', () => {
  it('says clearly that no engine is installed and what the operator can do', () => {
    const missing = new PocketSphinxRecognizer({
      command: 'no-such-pocketsphinx',
      modelRoot: '/nonexistent',
    });
    const status = missing.status();
    expect(status.available).toBe(false);
    expect(status).toMatchObject({
      reason: expect.stringMatching(/no speech recognition engine is installed.*pocketsphinx/),
    });
    expect(() => missing.openStream('en-US', { onText() {}, onError() {} })).toThrow(
      expect.objectContaining({ code: 'CAPTIONS_UNAVAILABLE' }),
    );
  });
});

describe('whisper HTTP recognizer (external engine)', () => {
  const received: { wavSeconds: number; language: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.url !== '/inference' || req.method !== 'POST') {
        res.writeHead(404).end();
        return;
      }
      const riff = body.indexOf('RIFF');
      const dataLength = body.readUInt32LE(riff + 40);
      const language = /name="language"\r\n\r\n([a-z]+)/.exec(body.toString('latin1'))?.[1] ?? '';
      received.push({ wavSeconds: dataLength / 2 / 16_000, language });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ text: ` utterance ${received.length} ` }));
    });
  });
  afterAll(() => server.close());

  it('posts each utterance as a WAV file and delivers the text in order', async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const recognizer = new WhisperHttpRecognizer({ url, languages: ['en-US', 'fr-FR'] });
    const texts: string[] = [];
    const stream = recognizer.openStream('fr-FR', {
      onText: (t) => texts.push(t),
      onError: (e) => {
        throw e;
      },
    });
    const tone = (ms: number) =>
      Int16Array.from({ length: ms * 16 }, (_, i) => Math.round(6000 * Math.sin(i / 5)));
    stream.write(tone(800));
    stream.write(new Int16Array(16_000));
    stream.write(tone(1200));
    stream.close();
    await expect.poll(() => texts, { timeout: 5000 }).toEqual(['utterance 1', 'utterance 2']);
    expect(received.map((r) => r.language)).toEqual(['fr', 'fr']);
    expect(received[0]!.wavSeconds).toBeGreaterThan(0.8);
    expect(() => recognizer.openStream('de-DE', { onText() {}, onError() {} })).toThrow(
      expect.objectContaining({ code: 'CAPTIONS_LANGUAGE_UNSUPPORTED' }),
    );
  });

  it('reports an engine that answers with an error, and keeps going', async () => {
    const recognizer = new WhisperHttpRecognizer({
      url: 'http://127.0.0.1:9/',
      languages: ['en-US'],
    });
    const errors: Error[] = [];
    const stream = recognizer.openStream('en-US', { onText() {}, onError: (e) => errors.push(e) });
    stream.write(Int16Array.from({ length: 16_000 }, (_, i) => Math.round(6000 * Math.sin(i / 5))));
    stream.close();
    await expect.poll(() => errors.length, { timeout: 5000 }).toBe(1);
  });
});
