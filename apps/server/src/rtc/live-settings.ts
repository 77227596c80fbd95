import type { MeetingId } from '@conclave/protocol';
import type { Logger } from '../logger';
import type { MeetingSettings } from '../modules/meetings/meeting-store';
import type { RoomRegistry } from './room-registry';

export interface LiveSettingsDeps {
  rooms: RoomRegistry;
  /** Meetings of the account that have not ended. */
  openMeetingIds: (accountId: string) => Promise<MeetingId[]>;
  /** The settings a meeting runs with now (read through MeetingPolicySource). */
  currentSettings: (id: MeetingId) => Promise<MeetingSettings | undefined>;
  logger: Logger;
}

/**
 * Pushes an account's new plan/admin settings into its running rooms, so a host's E2EE menu item
 * turns on or off without a reload (issue 6). Call `accountChanged` on AdminService's
 * `policyChanged` event.
 */
export class LiveSettings {
  readonly #d: LiveSettingsDeps;
  constructor(deps: LiveSettingsDeps) {
    this.#d = deps;
  }

  /** Returns how many live rooms were updated. */
  async accountChanged(accountId: string): Promise<number> {
    let updated = 0;
    for (const id of await this.#d.openMeetingIds(accountId)) {
      const room = await this.#d.rooms.room(id);
      if (!room) continue;
      const settings = await this.#d.currentSettings(id);
      if (!settings) continue;
      room.updateSettings(settings);
      updated++;
    }
    this.#d.logger.debug({ accountId, updated }, 'account settings pushed to live rooms');
    return updated;
  }
}
