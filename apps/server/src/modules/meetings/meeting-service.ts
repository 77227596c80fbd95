import { ConclaveError } from '@conclave/protocol';
import type { CreateMeetingBody, MeetingId, MeetingInfo } from '@conclave/protocol';
import type { MeetingSettings, MeetingStore } from './meeting-store';
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

/** Creating meetings and deciding who may enter them; knows nothing of media or sockets. */
export class MeetingService {
  readonly #store: MeetingStore;
  readonly #now: () => Date;

  constructor(store: MeetingStore, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  async create(body: CreateMeetingBody): Promise<CreatedMeeting> {
    const hostKey = newHostKey();
    const passcode = body.passcode?.trim() || undefined;
    for (let attempt = 0; attempt < 8; attempt++) {
      const id = newMeetingNumber() as MeetingId;
      const inserted = await this.#store.insert({
        id,
        passcodeHash: passcode ? hashPasscode(passcode) : null,
        hostKeyHash: hashToken(hostKey),
        createdAt: this.#now(),
        endedAt: null,
        settings: {
          e2eeAllowed: body.settings?.e2eeAllowed ?? true,
          unsupportedClientPolicy: body.settings?.unsupportedClientPolicy ?? 'downgrade',
        },
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

  /** Checks that the meeting is open and the passcode right; the host key makes the host. */
  async admit(id: MeetingId, passcode?: string, hostKey?: string): Promise<Admission> {
    const record = await this.#store.findById(id);
    if (!record) throw new ConclaveError('MEETING_NOT_FOUND');
    if (record.endedAt) throw new ConclaveError('MEETING_ENDED');
    const isHost = hostKey !== undefined && tokenMatches(hostKey, record.hostKeyHash);
    if (record.passcodeHash && !isHost) {
      if (!passcode) throw new ConclaveError('PASSCODE_REQUIRED');
      if (!passcodeMatches(passcode, record.passcodeHash))
        throw new ConclaveError('PASSCODE_WRONG');
    }
    return { role: isHost ? 'host' : 'participant', settings: record.settings };
  }

  /** For resumes: the meeting must still be open; returns its current settings. */
  async assertOpen(id: MeetingId): Promise<MeetingSettings> {
    const record = await this.#store.findById(id);
    if (!record) throw new ConclaveError('MEETING_NOT_FOUND');
    if (record.endedAt) throw new ConclaveError('MEETING_ENDED');
    return record.settings;
  }

  async end(id: MeetingId): Promise<void> {
    await this.#store.markEnded(id, this.#now());
  }
}
