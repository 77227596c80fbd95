import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { requestRecord } from '../../storage/legal-store-contract';
import { buildProduction } from './production-builder';
import type { ResolvedTarget } from './prechecks';
import type { SubjectDirectory, SubjectMeeting } from './subject-directory';

const user = {
  userId: 'u1',
  accountId: 'a1',
  email: 'target@example.org',
  name: 'Target',
  role: 'member',
  status: 'active',
  createdAt: new Date('2025-01-01T00:00:00Z'),
};
const e2eeMeeting: SubjectMeeting = {
  meetingId: '12345678901',
  accountId: 'a1',
  ownerUserId: 'u1',
  title: 'Board',
  createdAt: new Date('2026-01-10T00:00:00Z'),
  startsAt: null,
  endedAt: new Date('2026-01-10T01:00:00Z'),
  e2eeAllowed: true,
  cohostUserIds: [],
};
const dir: SubjectDirectory = {
  userByEmail: async () => user,
  userById: async () => user,
  account: async () => ({
    accountId: 'a1',
    name: 'Acme',
    plan: 'enterprise',
    allowE2ee: true,
    country: 'US',
    subdivision: 'CA',
    createdAt: new Date('2025-01-01T00:00:00Z'),
  }),
  meeting: async () => e2eeMeeting,
  meetingsOfUser: async () => [e2eeMeeting],
  accountAdmins: async () => [],
  legalTeam: async () => [],
  operatorAccountId: async () => 'op',
};

describe('productions', () => {
  it('a content disclosure for an E2EE meeting carries metadata and a statement, never content', async () => {
    const r = requestRecord('q', 'a', {
      type: 'search_warrant',
      wantsContent: true,
      wantsNonContent: true,
    });
    const resolved: ResolvedTarget[] = [
      {
        target: r.targets[0]!,
        userId: 'u1',
        accountId: 'a1',
        accountCountry: 'US',
        accountSubdivision: 'CA',
        meetingId: null,
      },
    ];
    const p = await buildProduction(
      r,
      'disclose_content',
      resolved,
      dir,
      new Date('2026-02-01T00:00:00Z'),
    );
    expect(p.manifest.files.map((f) => f.name)).toEqual([
      'meeting-metadata.json',
      'statement.txt',
      'subscriber-information.json',
    ]);
    const pkg = JSON.parse(Buffer.from(p.pkg).toString('utf8')) as {
      files: Record<string, string>;
    };
    expect(pkg.files['statement.txt']).toMatch(/end-to-end encrypted[\s\S]*cannot read/);
    expect(JSON.parse(pkg.files['meeting-metadata.json']!)).toEqual([
      expect.objectContaining({ meetingId: '12345678901', endToEndEncryptionAllowed: true }),
    ]);
    for (const f of p.manifest.files)
      expect(createHash('sha256').update(pkg.files[f.name]!).digest('hex')).toBe(f.sha256);
    expect(createHash('sha256').update(p.pkg).digest('hex')).toBe(p.packageSha256);
  });

  it('a subscriber-information disclosure has no meeting records', async () => {
    const r = requestRecord('q', 'a');
    const p = await buildProduction(
      r,
      'disclose_non_content',
      [
        {
          target: r.targets[0]!,
          userId: 'u1',
          accountId: 'a1',
          accountCountry: 'US',
          accountSubdivision: 'CA',
          meetingId: null,
        },
      ],
      dir,
      new Date(),
    );
    expect(p.manifest.files.map((f) => f.name)).toEqual([
      'statement.txt',
      'subscriber-information.json',
    ]);
  });
});
