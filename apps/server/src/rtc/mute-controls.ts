import { ConclaveError } from '@conclave/protocol';
import type { ParticipantId } from '@conclave/protocol';
import type { RoomParticipant } from './participant';
import type { Roster } from './roster';

/**
 * What a participant's published tracks let through: their own microphone, camera and share
 * switches, and the host's mute and stop-share. Paused in the SFU, so nothing is forwarded.
 */
export class MuteControls {
  readonly #roster: Roster;

  constructor(roster: Roster) {
    this.#roster = roster;
  }

  /** A muted microphone is also paused in the SFU: nothing is forwarded while muted. */
  async setMediaState(
    p: RoomParticipant,
    audioMuted: boolean,
    videoMuted: boolean,
    screenSharing: boolean,
  ): Promise<null> {
    p.audioMuted = audioMuted;
    p.videoMuted = videoMuted;
    p.screenSharing = screenSharing;
    for (const track of p.published.values()) {
      if (track.source === 'screen') {
        if (screenSharing) await track.producer.resume();
        else await track.producer.pause();
        continue;
      }
      if (track.source !== 'microphone') continue;
      if (audioMuted) await track.producer.pause();
      else {
        track.pausedByHost = false;
        await track.producer.resume();
      }
    }
    this.#roster.broadcast({ type: 'participant.updated', participant: p.view() });
    return null;
  }

  async hostMute(host: RoomParticipant, targetId: ParticipantId): Promise<null> {
    const target = this.#roster.hostTarget(host, targetId);
    for (const track of target.published.values()) {
      if (track.source !== 'microphone') continue;
      track.pausedByHost = true;
      await track.producer.pause();
    }
    target.audioMuted = true;
    target.peer?.send({ type: 'muted.by.host' });
    this.#roster.broadcast({ type: 'participant.updated', participant: target.view() });
    return null;
  }

  /** Host: stop someone's screen share (their client is told and stops the capture). */
  hostStopShare(host: RoomParticipant, targetId: ParticipantId): null {
    const target = this.#roster.hostTarget(host, targetId);
    const shares = [...target.published.values()].filter((t) => t.source === 'screen');
    if (shares.length === 0 || !target.screenSharing)
      throw new ConclaveError('PARTICIPANT_NOT_FOUND', 'That participant is not sharing.');
    target.screenSharing = false;
    for (const t of shares) void t.producer.pause().catch(() => undefined);
    target.peer?.send({ type: 'share.stopped' });
    this.#roster.broadcast({ type: 'participant.updated', participant: target.view() });
    return null;
  }
}
