import type { ChatMessage, ParticipantId, SealedChatMessage } from '@conclave/protocol';
import type { OpenedChat } from './engine';

/** A relayed chat message as shown: sender, name and recipient as the MLS group says, not the relay. */
export function openedChatMessage(message: SealedChatMessage, opened: OpenedChat): ChatMessage {
  return {
    id: message.id,
    from: opened.from as ParticipantId,
    fromName: opened.fromName,
    to: opened.to as ParticipantId | null,
    text: opened.text,
    sentAt: message.sentAt,
    e2ee: true,
  };
}
