import type { MeetingId, ParticipantId } from '@conclave/protocol';
import { useMemo, useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import type { MeetingSnapshot, MeetingStore } from '../../state/meeting-store';
import { ActionNotices } from './ActionNotices';
import { ConnectionBanner } from './ConnectionBanner';
import { e2eeMenuItem } from './e2ee-menu';
import { Stage } from './layout/Stage';
import type { LayoutMode, StageTile } from './layout/Stage';
import { MeetingHeader } from './MeetingHeader';
import { MeetingPanels } from './MeetingPanels';
import { RecordingNotice } from './recording/RecordingIndicator';
import { useLocalRecording } from './recording/useLocalRecording';
import { useRecordingNotice } from './recording/useRecordingNotice';
import { ShortcutsDialog } from './ShortcutsDialog';
import { Toasts } from './Toasts';
import { Toolbar } from './Toolbar';
import type { PanelName } from './Toolbar';
import { useActiveSpeaker } from './useActiveSpeaker';
import type { LocalMedia } from './useLocalMedia';
import { useMediaQuery, useRoomMediaSync } from './useRoomMediaSync';
import { useShortcuts } from './useShortcuts';
import { AudioSink } from './VideoView';
import { Announcer } from './Announcer';
import './meeting.css';

export interface MeetingRoomProps {
  meetingId: MeetingId;
  store: MeetingStore;
  snapshot: MeetingSnapshot;
  media: LocalMedia;
}

const E2EE_REASON = 'Not available with end-to-end encryption.';

export function MeetingRoom({ meetingId, store, snapshot, media }: MeetingRoomProps) {
  const [panel, setPanelState] = useState<PanelName>('none');
  const setPanel = (next: PanelName) => {
    setPanelState(next);
    store.setChatOpen(next === 'chat');
    store.setHistoryOpen(next === 'notifications');
  };
  const [confirm, setConfirm] = useState<
    { kind: 'end' } | { kind: 'remove'; id: ParticipantId; name: string } | null
  >(null);
  const [layout, setLayout] = useState<LayoutMode>('gallery');
  const [pinned, setPinned] = useState<string>();
  const [selfHidden, setSelfHidden] = useState(false);
  const [help, setHelp] = useState(false);
  const compact = useMediaQuery('(max-width: 820px)');
  const medium = useMediaQuery('(max-width: 1180px)');
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
  // Someone else's screen is shown large; the sharer sees their own share.
  const sharedScreen = snapshot.remoteTracks.find(
    (t) =>
      t.source === 'screen' &&
      t.kind === 'video' &&
      snapshot.participants.some((p) => p.id === t.participantId && p.sharing),
  );
  const screen = sharedScreen
    ? {
        track: sharedScreen.track,
        own: false,
        owner:
          snapshot.participants.find((p) => p.id === sharedScreen.participantId)?.displayName ??
          'Someone',
      }
    : snapshot.screen
      ? { track: snapshot.screen, own: true, owner: 'You' }
      : null;
  // The shield shows what this device does, not what the server says (DESIGN.md §4.3).
  const e2eeOn = Boolean(snapshot.e2ee?.local?.inGroup && snapshot.e2ee.local.encrypting);
  // Who holds the key does not match who is in the meeting (DESIGN.md §4.4): a warning shield.
  const keyWarning = e2eeOn && (snapshot.e2ee?.rosterMismatch.length ?? 0) > 0;
  // Server-processed features are off while E2EE is on (DESIGN.md §4.1 rule 4).
  const e2eeBlocks =
    snapshot.e2ee?.meeting.status !== undefined && snapshot.e2ee.meeting.status !== 'off';
  const e2eeReason = e2eeBlocks ? E2EE_REASON : undefined;
  const { captions } = snapshot;
  const captionFor = (id: string | undefined) =>
    captions.state?.on && id ? captions.live[id]?.text : undefined;

  const reactionOf = (id: string | undefined) =>
    snapshot.reactions.findLast((r) => r.participantId === id)?.reaction;
  useRoomMediaSync(room, media, snapshot.mutedByHost);
  const shortcuts = useMemo(
    () => ({
      toggleMic: () => media.microphone && media.setMicOn(!media.micOn),
      toggleCam: () => void media.setCamOn(!media.camera),
      closePanel: () => setPanelState('none'),
      help: () => setHelp(true),
      toggleHand: () => {
        const raised = Boolean(
          store.getSnapshot().participants.find((p) => p.id === store.getSnapshot().selfId)
            ?.handRaised,
        );
        void store.room?.raiseHand(!raised).catch(() => undefined);
      },
    }),
    [media, store],
  );
  useShortcuts(shortcuts);

  const local = useLocalRecording(store, meetingId, {
    root: () => document.querySelector<HTMLElement>('.stage'),
    audioTracks: () => [
      ...snapshot.remoteTracks.filter((t) => t.kind === 'audio').map((t) => t.track),
      ...(media.microphone && media.micOn ? [media.microphone] : []),
    ],
  });
  const recordingNotice = useRecordingNotice(snapshot.recording, snapshot.selfId);
  const act = (fn: () => Promise<unknown>) => {
    fn().catch((err: unknown) =>
      store.notify(err instanceof Error ? err.message : 'That did not work.', 'warning'),
    );
  };
  const e2eeItem = e2eeMenuItem(snapshot, {
    enable: () => act(() => room!.e2ee.enable()),
    disable: () => act(() => room!.e2ee.disable()),
  });
  // Turning E2EE on stops the cloud recording: the menu says so before the host chooses.
  if (snapshot.recording?.cloud.on && !e2eeBlocks && !e2eeItem.disabled && !e2eeItem.reason)
    e2eeItem.reason =
      'This stops the cloud recording: the server cannot record end-to-end encrypted media.';
  const copyInvite = () =>
    navigator.clipboard.writeText(inviteUrl).then(
      () => store.notify('Invite link copied.'),
      () => store.notify(`Copy this invite link: ${inviteUrl}`),
    );

  const selfTile: StageTile = {
    id: snapshot.selfId ?? 'self',
    name: `${self?.displayName ?? 'You'} (you)`,
    video: media.camera,
    audioMuted: !media.micOn || !media.microphone,
    videoMuted: !media.camera,
    mirror: true,
    caption: captionFor(snapshot.selfId),
    handRaised: Boolean(self?.handRaised),
    spotlight: Boolean(self?.spotlight),
    reaction: reactionOf(snapshot.selfId),
  };
  const otherTiles: StageTile[] = others.map((p) => ({
    id: p.id,
    name: p.displayName,
    video:
      snapshot.remoteTracks.find((t) => t.participantId === p.id && t.source === 'camera')?.track ??
      null,
    audioMuted: p.audioMuted,
    videoMuted: p.videoMuted,
    speaking: speaker === p.id,
    reconnecting: !p.connected,
    caption: captionFor(p.id),
    handRaised: p.handRaised,
    spotlight: p.spotlight,
    reaction: reactionOf(p.id),
  }));

  return (
    <div className={`meeting${panel !== 'none' ? ' with-panel' : ''}`}>
      <MeetingHeader
        meetingId={meetingId}
        snapshot={snapshot}
        e2eeOn={e2eeOn}
        keyWarning={keyWarning}
        layout={layout}
        onLayout={setLayout}
        onSecurity={() => setPanel('security')}
        onCaptions={() => setPanel('captions')}
        unseenNotices={snapshot.unseenNotices}
        notificationsOpen={panel === 'notifications'}
        onNotifications={() => setPanel(panel === 'notifications' ? 'none' : 'notifications')}
      >
        {myBreakout && (
          <span className="breakout-status" role="status" data-testid="breakout-status">
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
          </span>
        )}
      </MeetingHeader>
      <ConnectionBanner state={snapshot.connection} onRetry={() => room?.retry()} />
      <ActionNotices
        countdown={snapshot.e2ee?.downgradeCountdown ?? null}
        reenableOffer={snapshot.reenableOffer}
        isHost={isHost}
        onKeepOn={() => room?.e2ee.keepEncryptionOn()}
        onReenable={() => {
          store.clearReenableOffer();
          act(() => room!.e2ee.enable());
        }}
        onNotNow={() => store.clearReenableOffer()}
      />
      <Toasts
        toasts={snapshot.toasts}
        e2eeOn={e2eeBlocks}
        isHost={isHost}
        onDismiss={(id) => store.dismissToast(id)}
        onHold={(held) => store.holdToasts(held)}
        onJoinRoom={(index) => act(() => room!.joinBreakout(index))}
      />
      <Announcer
        snapshot={snapshot}
        micOn={media.micOn && Boolean(media.microphone)}
        camOn={Boolean(media.camera)}
        e2eeOn={e2eeOn}
      />
      <div className="stage">
        <Stage
          mode={layout}
          self={selfTile}
          others={otherTiles}
          screen={screen}
          speaker={speaker}
          pinned={pinned}
          onPin={setPinned}
          selfHidden={selfHidden}
          onSelfHidden={setSelfHidden}
        >
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
                encryption. You will see and hear the others once the host turns end-to-end
                encryption off or lets you in.
              </p>
            </section>
          )}
        </Stage>
        <MeetingPanels
          panel={panel}
          onPanel={setPanel}
          meetingId={meetingId}
          store={store}
          snapshot={snapshot}
          isHost={isHost}
          myBreakoutId={myBreakoutId}
          e2eeReason={e2eeReason}
          e2eeBlocks={e2eeBlocks}
          e2eeOn={e2eeOn}
          act={act}
          onRemove={(id) =>
            setConfirm({
              kind: 'remove',
              id,
              name: snapshot.participants.find((p) => p.id === id)?.displayName ?? 'them',
            })
          }
        />
      </div>
      {snapshot.remoteTracks
        .filter((t) => t.kind === 'audio')
        .map((t) => (
          <AudioSink key={t.mid} track={t.track} />
        ))}
      <Toolbar
        media={media}
        panel={panel}
        onPanel={setPanel}
        isHost={isHost}
        compact={compact}
        medium={medium}
        participantCount={snapshot.participants.length}
        waitingCount={snapshot.participants.filter((p) => p.waiting).length}
        chatUnread={snapshot.chat.unread}
        unseenNotices={snapshot.unseenNotices}
        captionsOn={Boolean(captions.state?.on)}
        sharing={Boolean(snapshot.screen)}
        canShare={typeof navigator.mediaDevices?.getDisplayMedia === 'function'}
        onShare={() =>
          act(() => (snapshot.screen ? room!.stopScreenShare() : store.startScreenShare()))
        }
        e2eeReason={e2eeReason}
        record={{
          state: snapshot.recording,
          isHost,
          e2eeOn: e2eeBlocks,
          localRecording: local.recording,
          localSupported: local.supported,
          onCloud: (on) => act(() => room!.setCloudRecording(on)),
          onLocal: (on) => act(() => (on ? local.start() : local.stop())),
          onAllowLocal: (allowed) => act(() => room!.allowLocalRecording(allowed)),
        }}
        onCopyInvite={() => void copyInvite()}
        moreItems={[
          e2eeItem,
          { label: 'Security', onSelect: () => setPanel('security') },
          { label: 'Keyboard shortcuts', onSelect: () => setHelp(true) },
        ]}
        onLeave={() => act(() => store.leave())}
        onEndForAll={() => setConfirm({ kind: 'end' })}
        handRaised={Boolean(self?.handRaised)}
        onRaiseHand={(raised) => act(() => room!.raiseHand(raised))}
        onReact={(r) => act(() => room!.sendReaction(r))}
      />
      {recordingNotice.show && snapshot.recording && (
        <RecordingNotice
          state={snapshot.recording}
          onContinue={recordingNotice.acknowledge}
          onLeave={() => act(() => store.leave())}
        />
      )}
      {confirm?.kind === 'end' && (
        <ConfirmDialog
          title="End the meeting for everyone?"
          body="Everyone will be disconnected and the meeting link will stop working."
          confirmLabel="End meeting for all"
          onConfirm={() => act(() => store.endForAll())}
          onCancel={() => setConfirm(null)}
        />
      )}
      {confirm?.kind === 'remove' && (
        <ConfirmDialog
          title={`Remove ${confirm.name} from the meeting?`}
          body={`${confirm.name} is disconnected from the meeting.`}
          confirmLabel="Remove"
          onConfirm={() => {
            const id = confirm.id;
            setConfirm(null);
            act(() => room!.hostRemove(id));
          }}
          onCancel={() => setConfirm(null)}
        />
      )}
      {help && <ShortcutsDialog onClose={() => setHelp(false)} />}
    </div>
  );
}
