import { ConclaveError } from '@conclave/protocol';
import type { CreateMeetingBody, MeetingId, MeetingInfo } from '@conclave/protocol';
import type { GuestMeetingPolicy, MeetingPolicySource } from './meeting-policy-source';
import type { MeetingRecord, MeetingSettings, MeetingStore } from './meeting-store';
import { PasscodeGuard } from './passcode-guard';
import {
  hashPasscode,
  hashToken,
  newHostKey,
  newMeetingNumber,
  passcodeMatches,
  tokenMatches,
} from './secrets';

export interface CreatedMeeting {
  meetingId: MeetingId;
  hostKey: string;
  requiresPasscode: boolean;
}

export interface Admission {
  role: 'host' | 'participant';
  settings: MeetingSettings;
}

export interface OwnedMeetingRequest {
  accountId: string;
  ownerUserId: string;
  title?: string | undefined;
  startsAt?: Date | undefined;
  passcode?: string | undefined;
}

/** Until an account policy source is injected (unit tests), owned meetings act like guest ones. */
const NO_POLICY: MeetingPolicySource = { policyFor: async () => undefined };
/** The defaults of config `meetings.*`: guest meetings allowed, with E2EE. */
const GUESTS_WELCOME = (): GuestMeetingPolicy => ({ creation: true, e2ee: true });

/** Creating meetings and deciding who may enter them; knows nothing of media or sockets. */
export class MeetingService {
  readonly #store: MeetingStore;
  readonly #now: () => Date;
  readonly #policy: MeetingPolicySource;
  readonly #guests: () => GuestMeetingPolicy;
  readonly #passcodes: PasscodeGuard;

  constructor(
    store: MeetingStore,
    now: () => Date = () => new Date(),
    policy: MeetingPolicySource = NO_POLICY,
    guests: () => GuestMeetingPolicy = GUESTS_WELCOME,
    passcodes: PasscodeGuard = new PasscodeGuard(),
  ) {
    this.#store = store;
    this.#now = now;
    this.#policy = policy;
    this.#guests = guests;
    this.#passcodes = passcodes;
  }

  /**
   * A guest meeting: no owner, runs on the settings its creator chose (as before accounts),
   * within what the operator allows guest meetings.
   */
  async create(body: CreateMeetingBody): Promise<CreatedMeeting> {
    if (!this.#guests().creation) throw new ConclaveError('GUEST_MEETINGS_DISABLED');
    return this.#insert({
      passcode: body.passcode,
      settings: {
        e2eeAllowed: body.settings?.e2eeAllowed ?? true,
        unsupportedClientPolicy: body.settings?.unsupportedClientPolicy ?? 'downgrade',
      },
      accountId: null,
      ownerUserId: null,
      title: null,
      startsAt: null,
    });
  }

  /** What the operator allows guest meetings right now. */
  guestPolicy(): GuestMeetingPolicy {
    return this.#guests();
  }

  /** A meeting owned by a signed-in user; its E2EE settings follow the account live. */
  async createOwned(req: OwnedMeetingRequest): Promise<CreatedMeeting> {
    const policy = await this.#policy.policyFor(req.accountId);
    const passcode = req.passcode?.trim() || undefined;
    if (policy?.passcodeRequired && !passcode) throw new ConclaveError('ACCOUNT_REQUIRES_PASSCODE');
    return this.#insert({
      passcode,
      // Stored only as a fallback should the account disappear; admission asks the account.
      settings: { e2eeAllowed: false, unsupportedClientPolicy: 'downgrade' },
      accountId: req.accountId,
      ownerUserId: req.ownerUserId,
      title: req.title?.trim() || null,
      startsAt: req.startsAt ?? null,
    });
  }

  async #insert(
    r: Pick<MeetingRecord, 'settings' | 'accountId' | 'ownerUserId' | 'title' | 'startsAt'> & {
      passcode: string | undefined;
    },
  ): Promise<CreatedMeeting> {
    const hostKey = newHostKey();
    const passcode = r.passcode?.trim() || undefined;
    const passcodeHash = passcode ? await hashPasscode(passcode) : null;
    for (let attempt = 0; attempt < 8; attempt++) {
      const id = newMeetingNumber() as MeetingId;
      const inserted = await this.#store.insert({
        id,
        passcodeHash,
        hostKeyHash: hashToken(hostKey),
        createdAt: this.#now(),
        endedAt: null,
        settings: r.settings,
        accountId: r.accountId,
        ownerUserId: r.ownerUserId,
        title: r.title,
        startsAt: r.startsAt,
      });
      if (inserted) return { meetingId: id, hostKey, requiresPasscode: Boolean(passcode) };
    }
    throw new ConclaveError('INTERNAL', 'Could not allocate a meeting id.');
  }

  async info(id: MeetingId): Promise<MeetingInfo> {
    const record = await this.#store.findById(id);
    if (!record) throw new ConclaveError('MEETING_NOT_FOUND');
    return {
      meetingId: record.id,
      requiresPasscode: record.passcodeHash !== null,
      status: record.endedAt ? 'ended' : 'open',
    };
  }

  /**
   * Checks that the meeting is open and the passcode right. The host key makes the host; so does
   * being signed in as the owner or a co-host (`userId` comes from the session cookie). Wrong
   * passcodes are limited per meeting and per client `address` (PasscodeGuard).
   */
  async admit(
    id: MeetingId,
    passcode?: string,
    hostKey?: string,
    userId?: string,
    address?: string,
  ): Promise<Admission> {
    const record = await this.#open(id);
    const isHost =
      (hostKey !== undefined && tokenMatches(hostKey, record.hostKeyHash)) ||
      (userId !== undefined && (await this.isHostUser(record, userId)));
    if (record.passcodeHash && !isHost) {
      if (!passcode) throw new ConclaveError('PASSCODE_REQUIRED');
      await this.#passcodes.check(record.id, address);
      if (!(await passcodeMatches(passcode, record.passcodeHash)))
        throw await this.#passcodes.failed(record.id, address);
    }
    return { role: isHost ? 'host' : 'participant', settings: await this.#settingsOf(record) };
  }

  /** For resumes: the meeting must still be open; returns its current settings. */
  async assertOpen(id: MeetingId): Promise<MeetingSettings> {
    return this.#settingsOf(await this.#open(id));
  }

  /** The settings a meeting runs with right now (account meetings: the account's, live). */
  async currentSettings(id: MeetingId): Promise<MeetingSettings | undefined> {
    const record = await this.#store.findById(id);
    return record ? this.#settingsOf(record) : undefined;
  }

  async isHostUser(record: MeetingRecord, userId: string): Promise<boolean> {
    if (record.ownerUserId === userId) return true;
    if (!record.ownerUserId) return false;
    return (await this.#store.cohosts(record.id)).includes(userId);
  }

  async end(id: MeetingId): Promise<void> {
    await this.#store.markEnded(id, this.#now());
  }

  async #open(id: MeetingId): Promise<MeetingRecord> {
    const record = await this.#store.findById(id);
    if (!record) throw new ConclaveError('MEETING_NOT_FOUND');
    if (record.endedAt) throw new ConclaveError('MEETING_ENDED');
    return record;
  }

  async #settingsOf(record: MeetingRecord): Promise<MeetingSettings> {
    // The operator's switch is read now, not stored: it also reaches guest meetings created
    // before the change.
    if (!record.accountId)
      return { ...record.settings, operatorAllowsGuestE2ee: this.#guests().e2ee };
    const policy = await this.#policy.policyFor(record.accountId);
    if (!policy) return { ...record.settings, e2eeAllowed: false, planIncludesE2ee: false };
    return {
      e2eeAllowed: policy.allowE2ee,
      planIncludesE2ee: policy.planIncludesE2ee,
      unsupportedClientPolicy: policy.unsupportedClientPolicy,
      maxParticipants: policy.maxParticipants,
      waitingRoom: policy.waitingRoomByDefault,
    };
  }
}
