import type { ParticipantId, ServerEvent } from '@conclave/protocol';
import { MediaWorker } from '@conclave/sfu';
import type { Router } from '@conclave/sfu';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Participant as SfuParticipant } from '../../packages/sfu/src/testing/participant';
import { createLogger } from '../../apps/server/src/logger';
import { CaptionsManager } from '../../apps/server/src/rtc/captions/captions-manager';
import type { CaptionRoom, Speaker } from '../../apps/server/src/rtc/captions/captions-manager';
import type {
  RecognitionCallbacks,
  SpeechRecognizer,
} from '../../apps/server/src/rtc/captions/recognizer';
import { RoomParticipant } from '../../apps/server/src/rtc/participant';

// Live captions from SFU to transcript: a werift publisher sends Opus, the SFU taps it, the server
// decodes it and hands 16 kHz PCM to the recognizer. The recognizer here is a stand-in that says
// how much audio it heard, so the wiring is checked exactly; the real engine has its own tests.

/** Emits "heard N ms" each time it has received another second of audio. */
class MeasuringRecognizer implements SpeechRecognizer {
  streams = 0;
  open = 0;
  status() {
    return { available: true as const, engine: 'measuring', languages: ['en-US', 'fr-FR'] };
  }
  openStream(language: string, callbacks: RecognitionCallbacks) {
    this.streams++;
    this.open++;
    let samples = 0;
    let closed = false;
    return {
      write: (pcm: Int16Array) => {
        const before = Math.floor(samples / 16_000);
        samples += pcm.length;
        if (Math.floor(samples / 16_000) > before)
          callbacks.onText(`${language} heard ${Math.round(samples / 16)} ms`);
      },
      close: () => {
        if (!closed) this.open--;
        closed = true;
      },
    };
  }
}

/** TOC 0xF8: 20 ms of CELT fullband, zero-length frame (decodes to silence). */
const OPUS_20MS = Buffer.from([0xf8]);

let worker: MediaWorker;
let router: Router;
/** A breakout room's router, on the same worker (as the server does it). */
let breakoutRouter: Router;
const publishers: SfuParticipant[] = [];
beforeAll(async () => {
  worker = await MediaWorker.create({ iceAdditionalHostAddresses: ['127.0.0.1'] });
  router = await worker.createRouter();
  breakoutRouter = await worker.createRouter();
});
afterEach(async () => {
  await Promise.all(publishers.splice(0).map((p) => p.leave()));
});
afterAll(async () => {
  await worker.close();
});

/** What the server sent each participant over their signaling connection. */
const inboxes = new WeakMap<RoomParticipant, ServerEvent[]>();
const received = (p: RoomParticipant) => inboxes.get(p) ?? [];

const person = (name: string, role: 'host' | 'participant', breakoutId: string | null = null) => {
  const inbox: ServerEvent[] = [];
  const p = new RoomParticipant({
    id: `${name}-id` as ParticipantId,
    resumeToken: name,
    displayName: name,
    role,
    peer: { send: (e) => inbox.push(e), close() {} },
    e2eeCapable: true,
    clientLabel: 'test',
  });
  p.breakoutId = breakoutId;
  inboxes.set(p, inbox);
  return p;
};

const ROOM_1: CaptionRoom = { id: 'room-1-id', name: 'Room 1' };

/** A werift microphone publishing into `on` (the main room's router or a breakout room's). */
async function microphone(on: Router) {
  const publisher = new SfuParticipant({ video: false });
  publishers.push(publisher);
  await publisher.join(on);
  const mic = publisher.producers.find((p) => p.kind === 'audio')!;
  return { publisher, mic };
}

async function setUp() {
  const recognizer = new MeasuringRecognizer();
  const speakers: Speaker[] = [];
  // Obi listens in the main room; `events` is what Obi is sent.
  const obi = person('Obi', 'participant');
  const people: RoomParticipant[] = [obi];
  const manager = new CaptionsManager({
    recognizer,
    logger: createLogger('silent'),
    speakers: () => speakers,
    participants: () => people,
    now: () => 1_700_000_000_000,
  });
  const { publisher, mic } = await microphone(router);
  return { recognizer, events: received(obi), speakers, people, manager, publisher, mic };
}

const speak = async (publisher: SfuParticipant, ms: number) => {
  for (let i = 0; i < ms / 20; i++) {
    publisher.publisher.sendAudioPayload(OPUS_20MS);
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, 5));
  }
};
const texts = (events: ServerEvent[]) =>
  events.flatMap((e) => (e.type === 'captions.text' ? [e.entry] : []));

describe('live captions pipeline', () => {
  it("decodes a speaker's audio, captions it under their name, and keeps a transcript for the host", async () => {
    const { events, speakers, manager, publisher, mic, recognizer } = await setUp();
    const gus = person('Gus', 'participant');
    const hana = person('Hana', 'host');
    speakers.push({ participant: gus, producer: mic, room: null });
    manager.start(gus, 'en-US');
    expect(events[0]).toMatchObject({
      type: 'captions.state',
      state: { on: true, language: 'en-US', startedBy: { name: 'Gus' } },
    });
    await expect.poll(() => recognizer.open).toBe(1);
    await new Promise((r) => setTimeout(r, 300)); // the tap is open
    await speak(publisher, 2000);
    await expect.poll(() => texts(events).length, { timeout: 5000 }).toBe(2);
    // every 20 ms packet became 320 samples at 16 kHz: exactly 1 s, then 2 s of audio
    expect(texts(events).map((e) => [e.name, e.text])).toEqual([
      ['Gus', 'en-US heard 1000 ms'],
      ['Gus', 'en-US heard 2000 ms'],
    ]);
    expect(manager.transcript(hana).entries).toHaveLength(2);
    expect(() => manager.transcript(gus)).toThrow(expect.objectContaining({ code: 'NOT_HOST' }));
    manager.dispose();
    await expect.poll(() => recognizer.open).toBe(0);
  });

  it('nothing is transcribed while the microphone is paused (muted)', async () => {
    const { events, speakers, manager, publisher, mic, recognizer } = await setUp();
    const gus = person('Gus', 'participant');
    speakers.push({ participant: gus, producer: mic, room: null });
    manager.start(gus, 'en-US');
    await expect.poll(() => recognizer.open).toBe(1);
    await mic.pause();
    await speak(publisher, 1500);
    await new Promise((r) => setTimeout(r, 500));
    expect(texts(events)).toEqual([]);
    manager.dispose();
  });

  it('only the host or the person who turned captions on may change or stop them', async () => {
    const { events, manager } = await setUp();
    const gus = person('Gus', 'participant');
    const ada = person('Ada', 'participant');
    const hana = person('Hana', 'host');
    manager.start(gus, 'en-US');
    expect(() => manager.start(ada, 'fr-FR')).toThrow(
      expect.objectContaining({ code: 'CAPTIONS_NOT_ALLOWED' }),
    );
    expect(() => manager.stop(ada)).toThrow(
      expect.objectContaining({ code: 'CAPTIONS_NOT_ALLOWED' }),
    );
    expect(() => manager.start(hana, 'de-DE')).toThrow(
      expect.objectContaining({ code: 'CAPTIONS_LANGUAGE_UNSUPPORTED' }),
    );
    manager.start(hana, 'fr-FR');
    expect(manager.view()).toMatchObject({ on: true, language: 'fr-FR' });
    manager.stop(hana);
    expect(manager.view()).toMatchObject({ on: false, language: null, startedBy: null });
    expect(events.filter((e) => e.type === 'captions.state')).toHaveLength(3);
  });

  it('stopping with a notice (E2EE turned on) tells everyone why and closes every stream', async () => {
    const { events, speakers, manager, mic, recognizer } = await setUp();
    const gus = person('Gus', 'participant');
    speakers.push({ participant: gus, producer: mic, room: null });
    manager.start(gus, 'en-US');
    await expect.poll(() => recognizer.open).toBe(1);
    manager.stopWithNotice('Live captions stopped: end-to-end encryption is being turned on.');
    expect(events.at(-1)).toMatchObject({
      type: 'captions.state',
      state: { on: false },
      notice: 'Live captions stopped: end-to-end encryption is being turned on.',
    });
    await expect.poll(() => recognizer.open).toBe(0);
  });

  it('a speaker who leaves has their stream closed; one who arrives gets one', async () => {
    const { speakers, manager, mic, recognizer } = await setUp();
    manager.start(person('Hana', 'host'), 'en-US');
    expect(recognizer.streams).toBe(0);
    speakers.push({ participant: person('Gus', 'participant'), producer: mic, room: null });
    manager.sync();
    await expect.poll(() => recognizer.open).toBe(1);
    mic.close(); // the microphone track ends: the tap closes the pipeline
    await expect.poll(() => recognizer.open).toBe(0);
    speakers.length = 0;
    manager.sync();
    manager.dispose();
  });

  it("caption lines reach only the speaker's room; the captions state reaches every room", async () => {
    const { events, speakers, people, manager, publisher, mic, recognizer } = await setUp();
    const gus = person('Gus', 'participant'); // speaks in the main room
    const bea = person('Bea', 'participant', ROOM_1.id); // speaks in Room 1
    const al = person('Al', 'participant', ROOM_1.id); // listens in Room 1
    const bo = person('Bo', 'participant', 'room-2-id'); // listens in Room 2
    const wally = person('Wally', 'participant'); // in the waiting room
    wally.held = wally.waiting = true;
    people.push(gus, bea, al, bo, wally);
    const room1 = await microphone(breakoutRouter);
    speakers.push(
      { participant: gus, producer: mic, room: null },
      { participant: bea, producer: room1.mic, room: ROOM_1 },
    );
    manager.start(bea, 'en-US'); // from a breakout room: one setting for the whole meeting
    for (const p of people)
      expect(received(p)).toContainEqual(
        expect.objectContaining({
          type: 'captions.state',
          state: expect.objectContaining({ on: true, startedBy: { id: bea.id, name: 'Bea' } }),
        }),
      );
    await expect.poll(() => recognizer.open).toBe(2);
    await new Promise((r) => setTimeout(r, 300)); // the taps are open
    await Promise.all([speak(publisher, 1000), speak(room1.publisher, 1000)]);
    await expect.poll(() => texts(received(al)).length, { timeout: 5000 }).toBe(1);
    await expect.poll(() => texts(events).length, { timeout: 5000 }).toBe(1);
    await new Promise((r) => setTimeout(r, 300)); // nothing else arrives late
    const lines = (p: RoomParticipant) => texts(received(p)).map((e) => [e.name, e.room]);
    for (const p of [gus, people[0]!]) expect(lines(p)).toEqual([['Gus', undefined]]);
    for (const p of [bea, al]) expect(lines(p)).toEqual([['Bea', 'Room 1']]);
    expect(lines(bo)).toEqual([]);
    expect(lines(wally)).toEqual([]);
    manager.stop(bea);
    for (const p of people)
      expect(received(p).at(-1)).toMatchObject({ type: 'captions.state', state: { on: false } });
    await expect.poll(() => recognizer.open).toBe(0);
  });

  it("the host's transcript covers every room, each breakout line labelled with its room", async () => {
    const { speakers, manager, publisher, mic, recognizer } = await setUp();
    const hana = person('Hana', 'host');
    const room1 = await microphone(breakoutRouter);
    speakers.push(
      { participant: person('Gus', 'participant'), producer: mic, room: null },
      { participant: person('Bea', 'participant', ROOM_1.id), producer: room1.mic, room: ROOM_1 },
    );
    manager.start(hana, 'en-US');
    await expect.poll(() => recognizer.open).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    await Promise.all([speak(publisher, 1000), speak(room1.publisher, 1000)]);
    await expect.poll(() => manager.transcript(hana).entries.length, { timeout: 5000 }).toBe(2);
    const entries = manager.transcript(hana).entries;
    expect(entries.find((e) => e.name === 'Gus')).not.toHaveProperty('room');
    expect(entries.find((e) => e.name === 'Bea')).toMatchObject({ room: 'Room 1' });
    manager.dispose();
  });

  it('a speaker moved to a breakout room is captioned there, and only there, with no action of theirs', async () => {
    const { events, speakers, people, manager, mic, recognizer } = await setUp();
    const gus = person('Gus', 'participant');
    const al = person('Al', 'participant', ROOM_1.id);
    people.push(gus, al);
    speakers.push({ participant: gus, producer: mic, room: null });
    manager.start(gus, 'en-US');
    await expect.poll(() => recognizer.open).toBe(1);
    // The move as the room does it: their producers close, then sync; their client then
    // publishes again on the breakout room's router, and `publish` syncs.
    gus.breakoutId = ROOM_1.id;
    mic.close();
    speakers.length = 0;
    manager.sync();
    await expect.poll(() => recognizer.open).toBe(0);
    const moved = await microphone(breakoutRouter);
    speakers.push({ participant: gus, producer: moved.mic, room: ROOM_1 });
    manager.sync();
    await expect.poll(() => recognizer.open).toBe(1);
    expect(recognizer.streams).toBe(2);
    await new Promise((r) => setTimeout(r, 300));
    await speak(moved.publisher, 1000);
    await expect.poll(() => texts(received(al)).length, { timeout: 5000 }).toBe(1);
    expect(texts(received(gus))).toMatchObject([{ name: 'Gus', room: 'Room 1' }]);
    expect(texts(events)).toEqual([]); // the main room does not read Room 1's words
    manager.dispose();
  });

  it('reopens a pipeline whose recognizer died, so one engine crash does not end the captions', async () => {
    // The first stream dies at its first audio (as a crashed engine process would); later
    // streams work like the measuring one.
    const measuring = new MeasuringRecognizer();
    let opened = 0;
    const recognizer: SpeechRecognizer = {
      status: () => measuring.status(),
      openStream: (language, callbacks) => {
        if (++opened > 1) return measuring.openStream(language, callbacks);
        let dead = false;
        return {
          write: () => {
            if (!dead) callbacks.onError(new Error('pocketsphinx exited (SIGKILL)'));
            dead = true;
          },
          close: () => undefined,
        };
      },
    };
    const obi = person('Obi', 'participant');
    const gus = person('Gus', 'participant');
    const { publisher, mic } = await microphone(router);
    const manager = new CaptionsManager({
      recognizer,
      logger: createLogger('silent'),
      speakers: () => [{ participant: gus, producer: mic, room: null }],
      participants: () => [obi, gus],
    });
    manager.start(gus, 'en-US');
    await new Promise((r) => setTimeout(r, 300)); // the tap is open
    await speak(publisher, 200); // the first stream dies
    await expect.poll(() => opened, { timeout: 5000 }).toBe(2); // reopened after ~1 s
    await new Promise((r) => setTimeout(r, 300));
    await speak(publisher, 1000);
    await expect
      .poll(() => texts(received(obi)).map((e) => e.text), { timeout: 5000 })
      .toEqual(['en-US heard 1000 ms']);
    manager.dispose();
  });

  it('says why captions cannot start when the server has no engine', async () => {
    const manager = new CaptionsManager({
      recognizer: {
        status: () => ({ available: false, engine: null, reason: 'No engine here.' }),
        openStream: () => {
          throw new Error('unreachable');
        },
      },
      logger: createLogger('silent'),
      speakers: () => [],
      participants: () => [],
    });
    expect(manager.view()).toMatchObject({
      available: false,
      unavailableReason: 'No engine here.',
    });
    expect(() => manager.start(person('Hana', 'host'), 'en-US')).toThrow(
      expect.objectContaining({ code: 'CAPTIONS_UNAVAILABLE', message: 'No engine here.' }),
    );
  });
});
