import { describe, expect, it } from 'vitest';
import { createMeetingBodySchema, generatePasscode } from './http';

describe('meeting passcodes', () => {
  it('a chosen passcode needs at least 6 characters; none at all is fine', () => {
    expect(createMeetingBodySchema.safeParse({ passcode: '12345' }).error?.issues[0]?.message).toBe(
      'Passcodes are at least 6 characters.',
    );
    expect(createMeetingBodySchema.safeParse({ passcode: 'abc123' }).success).toBe(true);
    expect(createMeetingBodySchema.safeParse({ passcode: '' }).success).toBe(true);
    expect(createMeetingBodySchema.safeParse({}).success).toBe(true);
  });

  it('generated passcodes are 8 digits, accepted, and not repeated', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const p = generatePasscode();
      expect(p).toMatch(/^\d{8}$/);
      expect(createMeetingBodySchema.safeParse({ passcode: p }).success).toBe(true);
      seen.add(p);
    }
    expect(seen.size).toBeGreaterThan(195);
  });
});
