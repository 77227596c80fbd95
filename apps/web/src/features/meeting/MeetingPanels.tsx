import type { MeetingId, ParticipantId } from '@conclave/protocol';
import type { MeetingSnapshot, MeetingStore } from '../../state/meeting-store';
import { BreakoutsPanel } from './BreakoutsPanel';
import { CaptionsPanel } from './CaptionsPanel';
import { ChatPanel } from './ChatPanel';
import { ParticipantsPanel } from './ParticipantsPanel';
import { SecurityPanel } from './SecurityPanel';
import { NotificationsPanel } from './Toasts';
import type { PanelName } from './Toolbar';
import { WhiteboardPanel } from './WhiteboardPanel';

/** The side panel that is open (one at a time); on narrow screens it overlays the stage. */
export function MeetingPanels(props: {
  panel: PanelName;
  onPanel: (p: PanelName) => void;
  meetingId: MeetingId;
  store: MeetingStore;
  snapshot: MeetingSnapshot;
  isHost: boolean;
  myBreakoutId: string | undefined;
  e2eeReason: string | undefined;
  /** End-to-end encryption is on or starting (chat, whiteboard and breakouts run end-to-end). */
  e2eeBlocks: boolean;
  /** This device holds the meeting key and encrypts. */
  e2eeOn: boolean;
  act: (fn: () => Promise<unknown>) => void;
  onRemove: (id: ParticipantId) => void;
}) {
  const { panel, store, snapshot, isHost, e2eeReason, act } = props;
  const room = store.room;
  const close = () => props.onPanel('none');
  switch (panel) {
    case 'participants':
      return (
        <ParticipantsPanel
          participants={snapshot.participants}
          selfId={snapshot.selfId}
          isHost={isHost}
          onMute={(id) => act(() => room!.hostMute(id))}
          onRemove={props.onRemove}
          onStopShare={(id) => act(() => room!.hostStopShare(id))}
          onSpotlight={(id) => act(() => room!.hostSpotlight(id))}
          onAdmitHeld={(id) => act(() => room!.admitHeld(id))}
          onAdmit={(id) => act(() => room!.admit(id))}
          onClose={close}
        />
      );
    case 'chat':
      return (
        <ChatPanel
          messages={snapshot.chat.messages}
          mode={snapshot.chat.mode}
          participants={snapshot.participants}
          selfId={snapshot.selfId}
          isHost={isHost}
          e2ee={props.e2eeBlocks}
          disabledReason={
            props.e2eeBlocks && !props.e2eeOn
              ? 'Chat opens once this device holds the meeting key.'
              : undefined
          }
          onSend={(text, to) => room!.sendChat(text, to)}
          onSetMode={(mode) => act(() => room!.setChatMode(mode))}
          onClose={close}
        />
      );
    case 'breakouts':
      return isHost ? (
        <BreakoutsPanel
          state={snapshot.breakouts}
          planProgress={props.e2eeOn ? snapshot.breakoutPlan : null}
          participants={snapshot.participants}
          disabledReason={undefined}
          onOpen={(req) => act(() => room!.openBreakouts(req))}
          onPlan={
            props.e2eeOn
              ? (req) => void room!.prepareBreakouts(req).catch(() => undefined)
              : undefined
          }
          onMove={(id, index) => act(() => room!.moveToBreakout(id, index))}
          myRoomId={props.myBreakoutId}
          onJoin={(index) => act(() => room!.joinBreakout(index))}
          onBroadcast={(text) => act(() => room!.broadcastToBreakouts(text))}
          onClose={(seconds) => act(() => room!.closeBreakouts(seconds))}
          onDismiss={close}
        />
      ) : null;
    case 'whiteboard':
      return room ? (
        <WhiteboardPanel
          whiteboard={room.whiteboard}
          author={snapshot.selfId ?? ''}
          isHost={isHost}
          e2ee={props.e2eeBlocks}
          readOnlyReason={
            props.e2eeBlocks && !props.e2eeOn
              ? 'The whiteboard opens once this device holds the meeting key.'
              : undefined
          }
          onError={(text) => store.notify(text)}
          onClose={close}
        />
      ) : null;
    case 'captions':
      return (
        <CaptionsPanel
          state={snapshot.captions.state}
          selfId={snapshot.selfId}
          isHost={isHost}
          disabledReason={
            e2eeReason
              ? `${e2eeReason} Captions would need speech recognition on each speaker's device, which is not there yet.`
              : undefined
          }
          onStart={(language) => store.startCaptions(language)}
          onStop={() => store.stopCaptions()}
          onDownloadTranscript={() => store.downloadTranscript(props.meetingId)}
          onClose={close}
        />
      );
    case 'security':
      return (
        <SecurityPanel
          e2ee={snapshot.e2ee}
          participants={snapshot.participants}
          onTrustDevice={(key) => act(() => room!.e2ee.trustNewDevice(key))}
          breakoutRoom={
            snapshot.breakouts.rooms.find((r) => r.id === props.myBreakoutId)?.name ?? null
          }
          onClose={close}
        />
      );
    case 'notifications':
      return <NotificationsPanel history={snapshot.history} onClose={close} />;
    case 'none':
      return null;
  }
}
