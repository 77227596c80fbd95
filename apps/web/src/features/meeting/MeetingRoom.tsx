import { formatMeetingId } from '@conclave/protocol';
import type { MeetingId } from '@conclave/protocol';
import { useCallback, useEffect, useState } from 'react';
import type { MeetingSnapshot, MeetingStore } from '../../state/meeting-store';
import { BreakoutsPanel } from './BreakoutsPanel';
import { CaptionsPanel } from './CaptionsPanel';
import { ChatPanel } from './ChatPanel';
import { WhiteboardPanel } from './WhiteboardPanel';
import { ConnectionBanner } from './ConnectionBanner';
import { CopyInviteButton } from './CopyInviteButton';
import { MoreMenu } from './MoreMenu';
import { ParticipantsPanel } from './ParticipantsPanel';
import { e2eeMenuItem } from './e2ee-menu';
import { SecurityPanel } from './SecurityPanel';
import { Tile } from './Tile';
import { useActiveSpeaker } from './useActiveSpeaker';
import type { LocalMedia } from './useLocalMedia';
import { AudioSink, VideoView } from './VideoView';
import { ShieldIcon } from '../../components/icons';
import { RecordControl } from './recording/RecordControl';
import { RecordingIndicator, RecordingNotice } from './recording/RecordingIndicator';
import { useLocalRecording } from './recording/useLocalRecording';
import { useRecordingNotice } from './recording/useRecordingNotice';

export interface MeetingRoomProps {
  meetingId: MeetingId;
  store: MeetingStore;
  snapshot: MeetingSnapshot;
  media: LocalMedia;
}

export function MeetingRoom({ meetingId, store, snapshot, media }: MeetingRoomProps) {
  const [panel, setPanelState] = useState<
    'none' | 'participants' | 'security' | 'chat' | 'whiteboard' | 'breakouts' | 'captions'
  >('none');
  const setPanel = (next: typeof panel) => {
    setPanelState(next);
    store.setChatOpen(next === 'chat');
  };
  const [confirmEnd, setConfirmEnd] = useState(false);
  const room = store.room;
  const isHost = snapshot.role === 'host';
  const speaker = useActiveSpeaker(room, snapshot.remoteTracks);
  const myBreakoutId = snapshot.selfId
    ? snapshot.breakouts.assignments[snapshot.selfId]
    : undefined;
  const myBreakout = snapshot.breakouts.rooms.find((r) => r.id === myBreakoutId);
  // Only the people in this room are shown (the main room is the participants in no room).
  const inMyRoom = (id: string) => snapshot.breakouts.assignments[id] === myBreakoutId;
  const self = snapshot.participants.find((p) => p.id === snapshot.selfId);
  const others = snapshot.participants.filter((p) => p.id !== snapshot.selfId && inMyRoom(p.id));
  const inviteUrl = `${location.origin}/m/${meetingId}`;
  // Someone else's screen is shown large, with the speakers beside it.
  const sharedScreen = snapshot.remoteTracks.find(
    (t) =>
      t.source === 'screen' &&
      t.kind === 'video' &&
      snapshot.participants.some((p) => p.id === t.participantId && p.sharing),
  );
  const sharedScreenOwner =
    snapshot.participants.find((p) => p.id === sharedScreen?.participantId)?.displayName ??
    'Someone';
  // The shield shows what this device does, not what the server says (DESIGN.md §4.3).
  const e2eeOn = Boolean(snapshot.e2ee?.local?.inGroup && snapshot.e2ee.local.encrypting);
  // Who holds the key does not match who is in the meeting (DESIGN.md §4.4): a warning shield.
  const keyWarning = e2eeOn && (snapshot.e2ee?.rosterMismatch.length ?? 0) > 0;
  const countdown = snapshot.e2ee?.downgradeCountdown ?? null;
  // Server-processed features are off while E2EE is on (DESIGN.md §4.1 rule 4).
  const e2eeBlocks =
    snapshot.e2ee?.meeting.status !== undefined && snapshot.e2ee.meeting.status !== 'off';
  const E2EE_REASON = 'Not available with end-to-end encryption.';
  const { captions } = snapshot;
  const waitingCount = snapshot.participants.filter((p) => p.waiting).length;
  // The server sends each caption only to the speaker's room (main or breakout).
  const captionFor = (id: string | undefined) =>
    captions.state?.on && id ? captions.live[id]?.text : undefined;

  // The breakout countdown ticks every second while rooms are closing.
  const [, tick] = useState(0);
  useEffect(() => {
    if (snapshot.breakouts.status !== 'closing') return;
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, [snapshot.breakouts.status]);

  // Keep what the room sends in step with the local devices.
  useEffect(() => {
    void room?.setCamera(media.camera);
  }, [room, media.camera]);
  useEffect(() => {
    void room?.replaceMicrophone(media.microphone);
  }, [room, media.microphone]);
  useEffect(() => {
    void room?.setMicrophoneMuted(!media.micOn || !media.microphone);
  }, [room, media.micOn, media.microphone]);
  // The host muted us: the microphone button shows it, and only we can unmute.
  const { setMicOn } = media;
  useEffect(() => {
    if (snapshot.mutedByHost > 0) setMicOn(false);
  }, [snapshot.mutedByHost, setMicOn]);

  const notify = useCallback((text: string) => store.notify(text), [store]);
  const local = useLocalRecording(store, meetingId, {
    root: () => document.querySelector<HTMLElement>('.stage'),
    audioTracks: () => [
      ...snapshot.remoteTracks.filter((t) => t.kind === 'audio').map((t) => t.track),
      ...(media.microphone && media.micOn ? [media.microphone] : []),
    ],
  });
  const recordingNotice = useRecordingNotice(snapshot.recording, snapshot.selfId);
  const e2eeItem = e2eeMenuItem(snapshot, {
    enable: () => act(() => room!.e2ee.enable()),
    disable: () => act(() => room!.e2ee.disable()),
  });
  // Turning E2EE on stops the cloud recording: the menu says so before the host chooses.
  if (snapshot.recording?.cloud.on && !e2eeBlocks && !e2eeItem.disabled && !e2eeItem.reason)
    e2eeItem.reason =
      'This stops the cloud recording: the server cannot record end-to-end encrypted media.';
  const act = (fn: () => Promise<unknown>) => {
    fn().catch((err: unknown) =>
      store.notify(err instanceof Error ? err.message : 'That did not work.'),
    );
  };

  return (
    <div className="meeting">
      <header className="meeting-header">
        <span className="meeting-title">Meeting {formatMeetingId(meetingId)}</span>
        <button
          className={`shield${e2eeOn ? ' e2ee' : ''}${keyWarning ? ' warning' : ''}`}
          data-testid="shield"
          data-warning={keyWarning ? 'true' : undefined}
          onClick={() => setPanel('security')}
          title={
            keyWarning
              ? `Check who holds the key: ${snapshot.e2ee!.rosterMismatch[0]}`
              : 'Open the security panel'
          }
        >
          {keyWarning ? (
            <>
              <ShieldIcon /> End-to-end encrypted — check who holds the key
            </>
          ) : e2eeOn ? (
            <>
              <ShieldIcon /> End-to-end encrypted
            </>
          ) : (
            'Encrypted in transit'
          )}
        </button>
        {captions.state?.on && (
          <button
            className="captions-indicator"
            data-testid="captions-indicator"
            onClick={() => setPanel('captions')}
            title="The server transcribes the meeting's audio while captions are on."
          >
            ● Captions on
            {captions.state.startedBy ? ` (turned on by ${captions.state.startedBy.name})` : ''}
          </button>
        )}
        <RecordingIndicator state={snapshot.recording} />
      </header>
      <div className="banners">
        {snapshot.banners.map((b) => (
          <div
            key={b.id}
            className={`banner ${b.tone}`}
            role={b.tone === 'warning' ? 'alert' : 'status'}
            data-testid="e2ee-banner"
          >
            {b.text}{' '}
            {b.joinRoom && isHost && (
              <>
                <button
                  className="button small"
                  onClick={() => {
                    const index = b.joinRoom!.index;
                    store.dismissBanner(b.id);
                    act(() => room!.joinBreakout(index));
                  }}
                >
                  Join {b.joinRoom.name}
                </button>{' '}
              </>
            )}
            <button
              className="button small secondary"
              onClick={() => store.dismissBanner(b.id)}
              aria-label="Dismiss"
            >
              OK
            </button>
          </div>
        ))}
        {countdown && (
          <div className="banner warning" role="alert" data-testid="downgrade-countdown">
            {countdown.displayName} joined from {countdown.clientLabel}, which cannot do end-to-end
            encryption. Encryption turns off in a few seconds so they can join.{' '}
            <button className="button small" onClick={() => room?.e2ee.keepEncryptionOn()}>
              Keep encryption on (keep them waiting)
            </button>
          </div>
        )}
        {isHost && snapshot.reenableOffer && (
          <div className="banner info" role="status">
            {snapshot.reenableOffer} left. Turn end-to-end encryption back on?{' '}
            <button
              className="button small"
              onClick={() => {
                store.clearReenableOffer();
                act(() => room!.e2ee.enable());
              }}
            >
              Turn on
            </button>{' '}
            <button className="button small secondary" onClick={() => store.clearReenableOffer()}>
              Not now
            </button>
          </div>
        )}
      </div>
      <ConnectionBanner state={snapshot.connection} onRetry={() => room?.retry()} />
      {myBreakout && (
        <div className="banner info" role="status" data-testid="breakout-status">
          You are in breakout room {myBreakout.name}.
          {snapshot.breakouts.status === 'closing' && snapshot.breakouts.closingAt
            ? ` Returning to the main room in ${Math.max(0, Math.ceil((snapshot.breakouts.closingAt - Date.now()) / 1000))} s.`
            : snapshot.breakouts.endsAt
              ? ` Rooms close at ${new Date(snapshot.breakouts.endsAt).toLocaleTimeString()}.`
              : ''}{' '}
          {isHost ? (
            <button
              className="button small secondary"
              onClick={() => act(() => room!.joinBreakout(null))}
            >
              Back to the main room
            </button>
          ) : (
            <button
              className="button small secondary"
              onClick={() => act(() => room!.askForHelp())}
            >
              Ask for help
            </button>
          )}
        </div>
      )}
      <div className="notices" aria-live="polite">
        {snapshot.notices.map((n) => (
          <div key={n.id} className="notice" role="status">
            {n.text}
          </div>
        ))}
      </div>
      <div className={`stage${sharedScreen || snapshot.screen ? ' sharing' : ''}`}>
        {(sharedScreen || snapshot.screen) && (
          <section className="screen-stage" aria-label="Shared screen">
            {sharedScreen ? (
              <>
                <VideoView
                  track={sharedScreen.track}
                  muted
                  label={`Screen shared by ${sharedScreenOwner}`}
                  testId="shared-screen"
                />
                <p className="screen-caption">{sharedScreenOwner} is sharing their screen</p>
              </>
            ) : (
              <p className="screen-caption" data-testid="own-share-notice">
                You are sharing your screen.
              </p>
            )}
          </section>
        )}
        {snapshot.held && self?.waiting && (
          <section className="held card" role="status" aria-labelledby="held-title">
            <h2 id="held-title">Waiting for the host to let you in</h2>
            <p>
              This meeting has a waiting room. You will see and hear the others once the host lets
              you in.
            </p>
          </section>
        )}
        {snapshot.held && !self?.waiting && (
          <section className="held card" role="alert" aria-labelledby="held-title">
            <h2 id="held-title">Waiting to be let in</h2>
            <p>
              This meeting is end-to-end encrypted and your browser cannot take part in end-to-end
              encryption. You will see and hear the others once the host turns end-to-end encryption
              off or lets you in.
            </p>
          </section>
        )}
        <section className={`grid count-${Math.min(others.length + 1, 9)}`} aria-label="Video grid">
          <Tile
            name={`${self?.displayName ?? 'You'} (you)`}
            participantId={snapshot.selfId}
            video={media.camera}
            audioMuted={!media.micOn || !media.microphone}
            videoMuted={!media.camera}
            mirror
            caption={captionFor(snapshot.selfId)}
          />
          {others.map((p) => (
            <Tile
              key={p.id}
              participantId={p.id}
              name={p.displayName}
              video={
                snapshot.remoteTracks.find((t) => t.participantId === p.id && t.source === 'camera')
                  ?.track ?? null
              }
              audioMuted={p.audioMuted}
              videoMuted={p.videoMuted}
              speaking={speaker === p.id}
              reconnecting={!p.connected}
              caption={captionFor(p.id)}
            />
          ))}
        </section>
        {panel === 'participants' && (
          <ParticipantsPanel
            participants={snapshot.participants}
            selfId={snapshot.selfId}
            isHost={isHost}
            onMute={(id) => act(() => room!.hostMute(id))}
            onRemove={(id) => act(() => room!.hostRemove(id))}
            onStopShare={(id) => act(() => room!.hostStopShare(id))}
            onAdmitHeld={(id) => act(() => room!.admitHeld(id))}
            onAdmit={(id) => act(() => room!.admit(id))}
            onClose={() => setPanel('none')}
          />
        )}
        {panel === 'chat' && (
          <ChatPanel
            messages={snapshot.chat.messages}
            mode={snapshot.chat.mode}
            participants={snapshot.participants}
            selfId={snapshot.selfId}
            isHost={isHost}
            e2ee={e2eeBlocks}
            disabledReason={
              e2eeBlocks && !e2eeOn
                ? 'Chat opens once this device holds the meeting key.'
                : undefined
            }
            onSend={(text, to) => room!.sendChat(text, to)}
            onSetMode={(mode) => act(() => room!.setChatMode(mode))}
            onClose={() => setPanel('none')}
          />
        )}
        {panel === 'breakouts' && isHost && (
          <BreakoutsPanel
            state={snapshot.breakouts}
            participants={snapshot.participants}
            disabledReason={undefined}
            onOpen={(req) => act(() => room!.openBreakouts(req))}
            onMove={(id, index) => act(() => room!.moveToBreakout(id, index))}
            myRoomId={myBreakoutId}
            onJoin={(index) => act(() => room!.joinBreakout(index))}
            onBroadcast={(text) => act(() => room!.broadcastToBreakouts(text))}
            onClose={(seconds) => act(() => room!.closeBreakouts(seconds))}
            onDismiss={() => setPanel('none')}
          />
        )}
        {panel === 'whiteboard' && room && (
          <WhiteboardPanel
            whiteboard={room.whiteboard}
            author={snapshot.selfId ?? ''}
            isHost={isHost}
            e2ee={e2eeBlocks}
            readOnlyReason={
              e2eeBlocks && !e2eeOn
                ? 'The whiteboard opens once this device holds the meeting key.'
                : undefined
            }
            onError={notify}
            onClose={() => setPanel('none')}
          />
        )}
        {panel === 'captions' && (
          <CaptionsPanel
            state={captions.state}
            selfId={snapshot.selfId}
            isHost={isHost}
            disabledReason={
              e2eeBlocks
                ? `${E2EE_REASON} Captions would need speech recognition on each speaker's device, which is not there yet.`
                : undefined
            }
            onStart={(language) => store.startCaptions(language)}
            onStop={() => store.stopCaptions()}
            onDownloadTranscript={() => store.downloadTranscript(meetingId)}
            onClose={() => setPanel('none')}
          />
        )}
        {panel === 'security' && (
          <SecurityPanel
            e2ee={snapshot.e2ee}
            participants={snapshot.participants}
            onTrustDevice={(key) => act(() => room!.e2ee.trustNewDevice(key))}
            breakoutRoom={snapshot.breakouts.rooms.find((r) => r.id === myBreakoutId)?.name ?? null}
            onClose={() => setPanel('none')}
          />
        )}
      </div>
      {snapshot.remoteTracks
        .filter((t) => t.kind === 'audio')
        .map((t) => (
          <AudioSink key={t.mid} track={t.track} />
        ))}
      <nav className="toolbar" aria-label="Meeting controls">
        <button
          className={`tool ${media.micOn && media.microphone ? 'on' : 'off'}`}
          aria-pressed={media.micOn && Boolean(media.microphone)}
          disabled={!media.microphone}
          title={media.microphone ? undefined : 'No microphone available'}
          onClick={() => media.setMicOn(!media.micOn)}
        >
          {media.micOn && media.microphone ? 'Mute' : 'Unmute'}
        </button>
        <button
          className={`tool ${media.camera ? 'on' : 'off'}`}
          aria-pressed={Boolean(media.camera)}
          disabled={media.camStatus === 'denied' || media.camStatus === 'unavailable'}
          onClick={() => void media.setCamOn(!media.camera)}
        >
          {media.camera ? 'Stop video' : 'Start video'}
        </button>
        <button
          className="tool"
          aria-pressed={panel === 'participants'}
          onClick={() => setPanel(panel === 'participants' ? 'none' : 'participants')}
        >
          Participants ({snapshot.participants.length})
          {isHost && waitingCount > 0 ? ` · ${waitingCount} waiting` : ''}
        </button>
        <button
          className={`tool${snapshot.screen ? ' on' : ''}`}
          aria-pressed={Boolean(snapshot.screen)}
          onClick={() =>
            act(() => (snapshot.screen ? room!.stopScreenShare() : store.startScreenShare()))
          }
        >
          {snapshot.screen ? 'Stop sharing' : 'Share screen'}
        </button>
        <button
          className="tool"
          aria-pressed={panel === 'chat'}
          title={e2eeBlocks ? 'End-to-end encrypted' : undefined}
          onClick={() => setPanel(panel === 'chat' ? 'none' : 'chat')}
        >
          Chat{snapshot.chat.unread > 0 ? ` (${snapshot.chat.unread} new)` : ''}
        </button>
        <button
          className="tool"
          aria-pressed={panel === 'whiteboard'}
          title={e2eeBlocks ? 'End-to-end encrypted' : undefined}
          onClick={() => setPanel(panel === 'whiteboard' ? 'none' : 'whiteboard')}
        >
          Whiteboard
        </button>
        <button
          className={`tool${captions.state?.on ? ' on' : ''}`}
          aria-pressed={panel === 'captions'}
          title={e2eeBlocks ? E2EE_REASON : undefined}
          onClick={() => setPanel(panel === 'captions' ? 'none' : 'captions')}
        >
          Captions
        </button>
        {isHost && (
          <button
            className="tool"
            aria-pressed={panel === 'breakouts'}
            title={
              e2eeBlocks ? 'End-to-end encrypted: each room is its own encrypted group' : undefined
            }
            onClick={() => setPanel(panel === 'breakouts' ? 'none' : 'breakouts')}
          >
            Breakout rooms
          </button>
        )}
        <RecordControl
          state={snapshot.recording}
          isHost={isHost}
          e2eeOn={e2eeBlocks}
          localRecording={local.recording}
          localSupported={local.supported}
          onCloud={(on) => act(() => room!.setCloudRecording(on))}
          onLocal={(on) => act(() => (on ? local.start() : local.stop()))}
          onAllowLocal={(allowed) => act(() => room!.allowLocalRecording(allowed))}
        />
        <CopyInviteButton url={inviteUrl} />
        <MoreMenu items={[e2eeItem, { label: 'Security', onSelect: () => setPanel('security') }]} />
        {isHost && (
          <button className="tool danger" onClick={() => setConfirmEnd(true)}>
            End for all
          </button>
        )}
        <button className="tool danger" onClick={() => act(() => store.leave())}>
          Leave
        </button>
      </nav>
      {recordingNotice.show && snapshot.recording && (
        <RecordingNotice
          state={snapshot.recording}
          onContinue={recordingNotice.acknowledge}
          onLeave={() => act(() => store.leave())}
        />
      )}
      {confirmEnd && (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="end-title">
            <h2 id="end-title">End the meeting for everyone?</h2>
            <p>Everyone will be disconnected and the meeting link will stop working.</p>
            <div className="row">
              <button className="button danger" onClick={() => act(() => store.endForAll())}>
                End meeting for all
              </button>
              <button className="button secondary" onClick={() => setConfirmEnd(false)} autoFocus>
                Cancel
              </button>
            </div>
          </div>
        </div>
      )}
    </div>
  );
}
