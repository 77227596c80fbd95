import { describe, expect, it } from 'vitest';
import type { MeetingId } from '@conclave/protocol';
import { MemoryAttemptStore } from '../limits/attempt-store';
import { MeetingService } from './meeting-service';
import type { MeetingRecord, MeetingStore } from './meeting-store';
import { PasscodeGuard } from './passcode-guard';
import { hashPasscode, passcodeMatches } from './secrets';

class Rows implements Partial<MeetingStore> {
  readonly rows = new Map<MeetingId, MeetingRecord>();
  insert = async (r: MeetingRecord) => (this.rows.set(r.id, r), true);
  findById = async (id: MeetingId) => this.rows.get(id);
  cohosts = async () => [];
}

function setup(limits = { freePerAddress: 5, freePerMeeting: 20, maxDelayMs: 60_000 }) {
  let now = 1_000_000;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const guard = new PasscodeGuard(limits, new MemoryAttemptStore(clock.now), clock.now);
  const svc = new MeetingService(
    new Rows() as unknown as MeetingStore,
    () => new Date(now),
    undefined,
    undefined,
    guard,
  );
  return { clock, svc };
}

describe('passcode attempts', () => {
  it('after 5 wrong passcodes from one address even the right one waits, with retry-after', async () => {
    const { clock, svc } = setup();
    const { meetingId } = await svc.create({ passcode: 'right1' });
    for (let i = 0; i < 5; i++)
      await expect(
        svc.admit(meetingId, `wrong${i}`, undefined, undefined, '203.0.113.7'),
      ).rejects.toMatchObject({
        code: 'PASSCODE_WRONG',
      });
    // The 6th failure starts the delays: the answer says how long to wait.
    await expect(
      svc.admit(meetingId, 'wrong5', undefined, undefined, '203.0.113.7'),
    ).rejects.toMatchObject({
      code: 'PASSCODE_WRONG',
      retryAfterSeconds: 1,
    });
    const refused = svc.admit(meetingId, 'right1', undefined, undefined, '203.0.113.7');
    await expect(refused).rejects.toMatchObject({
      code: 'PASSCODE_ATTEMPTS_EXCEEDED',
      retryAfterSeconds: 1,
      message: 'Too many wrong passcodes. Try again in 1 second.',
    });
    // Another address is not held up by this one.
    await expect(
      svc.admit(meetingId, 'right1', undefined, undefined, '198.51.100.2'),
    ).resolves.toMatchObject({
      role: 'participant',
    });
    clock.advance(1000);
    await expect(
      svc.admit(meetingId, 'right1', undefined, undefined, '203.0.113.7'),
    ).resolves.toMatchObject({
      role: 'participant',
    });
    // The delays grow: the next failure costs 2 s.
    await expect(
      svc.admit(meetingId, 'wrong6', undefined, undefined, '203.0.113.7'),
    ).rejects.toMatchObject({
      retryAfterSeconds: 2,
    });
  });

  it('guesses spread over many addresses are limited per meeting', async () => {
    const { svc } = setup({ freePerAddress: 5, freePerMeeting: 20, maxDelayMs: 60_000 });
    const { meetingId } = await svc.create({ passcode: 'right1' });
    const other = await svc.create({ passcode: 'right2' });
    for (let i = 0; i < 21; i++)
      await expect(
        svc.admit(meetingId, `w${i}`, undefined, undefined, `10.0.0.${i}`),
      ).rejects.toMatchObject({
        code: 'PASSCODE_WRONG',
      });
    await expect(
      svc.admit(meetingId, 'right1', undefined, undefined, '10.9.9.9'),
    ).rejects.toMatchObject({
      code: 'PASSCODE_ATTEMPTS_EXCEEDED',
    });
    // Other meetings are not affected.
    await expect(
      svc.admit(other.meetingId, 'right2', undefined, undefined, '10.9.9.9'),
    ).resolves.toBeDefined();
  });

  it('the host key and the right passcode at first try are never delayed', async () => {
    const { svc } = setup({ freePerAddress: 1, freePerMeeting: 1, maxDelayMs: 60_000 });
    const { meetingId, hostKey } = await svc.create({ passcode: 'right1' });
    for (let i = 0; i < 3; i++)
      await svc.admit(meetingId, 'nope12', undefined, undefined, 'a').catch(() => {});
    await expect(svc.admit(meetingId, undefined, hostKey, undefined, 'a')).resolves.toMatchObject({
      role: 'host',
    });
  });
});

describe('passcode key derivation', () => {
  it('runs off the event loop: a 5 ms timer fires while eight verifications are under way', async () => {
    const stored = await hashPasscode('right1');
    let kdfsDone = 0;
    const timer = new Promise<number>((resolve) => setTimeout(() => resolve(kdfsDone), 5));
    const all = Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        passcodeMatches(`wrong${i}`, stored).then(() => kdfsDone++),
      ),
    );
    // With a synchronous KDF all eight finish before any timer can run.
    expect(await timer).toBeLessThan(8);
    await all;
    expect(await passcodeMatches('right1', stored)).toBe(true);
    expect(await passcodeMatches('right2', stored)).toBe(false);
  });
});
