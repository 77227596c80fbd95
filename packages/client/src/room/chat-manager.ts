import { ConclaveError, MAX_CHAT_TEXT } from '@conclave/protocol';
import type {
  ChatMessage,
  ChatMode,
  JoinResult,
  ParticipantId,
  Role,
  SealedChatMessage,
  ServerEvent,
} from '@conclave/protocol';
import type { SignalClient } from '../signal/signal-client';
import { TypedEmitter } from '../typed-emitter';

export type ChatEvent = Extract<
  ServerEvent,
  { type: 'chat.message' | 'chat.sealed' | 'chat.mode' }
>;

export interface ChatManagerDeps {
  /** The live signaling connection; throws when there is none. */
  signal: () => SignalClient;
  self: () => { id: ParticipantId; role: Role } | undefined;
  displayName: string;
  roleOf: (id: ParticipantId) => Role | undefined;
  /** While the meeting is end-to-end encrypted, messages are sealed on this device. */
  e2eeOn: () => boolean;
  seal: (text: string, to: ParticipantId | null) => Promise<string>;
  /** undefined: not sealed for this device, or the keys changed meanwhile. */
  open: (message: SealedChatMessage) => Promise<ChatMessage | undefined>;
}

export type ChatManagerEvents = {
  chat: [{ mode: ChatMode; messages: ChatMessage[] }];
  notice: [string];
};

/** A participant's chat: the host's mode, the messages so far, and sending in the clear or sealed. */
export class ChatManager extends TypedEmitter<ChatManagerEvents> {
  readonly #deps: ChatManagerDeps;
  #mode: ChatMode = 'everyone';
  #messages: ChatMessage[] = [];

  constructor(deps: ChatManagerDeps) {
    super();
    this.#deps = deps;
  }

  /** The chat of a join or resume. */
  joined(chat: JoinResult['chat']): void {
    this.#mode = chat.mode;
    // Sealed messages exist only on the devices that were there: a reconnect keeps them.
    this.#messages = [...chat.history, ...this.#messages.filter((m) => m.e2ee)].sort(
      (a, b) => a.sentAt - b.sentAt,
    );
    this.#emitChat();
  }

  handleEvent(ev: ChatEvent): void {
    switch (ev.type) {
      case 'chat.message':
        this.#add(ev.message);
        return;
      case 'chat.sealed':
        void this.#deps.open(ev.message).then((m) => this.#onSealed(m));
        return;
      case 'chat.mode':
        this.#mode = ev.mode;
        this.#emitChat();
        return;
      default: {
        const unreachable: never = ev;
        this.emit('notice', `Unknown event ${String(unreachable)}`);
      }
    }
  }

  async send(text: string, to: ParticipantId | null): Promise<void> {
    const signal = this.#deps.signal();
    if (!this.#deps.e2eeOn()) {
      await signal.request({ type: 'chat.send', text, to });
      return;
    }
    // E2EE: sealed on this device; the server relays what it cannot read (issue 18).
    const clean = text.trim();
    if (!clean || clean.length > MAX_CHAT_TEXT)
      throw new ConclaveError('BAD_REQUEST', `Messages are 1 to ${MAX_CHAT_TEXT} characters.`);
    const sealed = await this.#deps.seal(clean, to);
    const { messageId } = await signal.request<{ messageId: string }>({
      type: 'chat.sendSealed',
      sealed,
      to,
    });
    this.#add({
      id: messageId,
      from: this.#deps.self()!.id,
      fromName: this.#deps.displayName,
      to,
      text: clean,
      sentAt: Date.now(),
      e2ee: true,
    });
  }

  async setMode(mode: ChatMode): Promise<void> {
    await this.#deps.signal().request({ type: 'chat.setMode', mode });
  }

  /** A relayed sealed message: shown only if it opens, and if its sender may write now. */
  #onSealed(m: ChatMessage | undefined): void {
    if (!m) {
      this.emit(
        'notice',
        'A chat message could not be opened on this device: it was not sealed for it, or the keys changed while it was on its way.',
      );
      return;
    }
    const host = this.#deps.roleOf(m.from) === 'host';
    const toHost = m.to !== null && this.#deps.self()?.role === 'host';
    if (!host && (this.#mode === 'off' || (this.#mode === 'host-only' && !toHost))) return;
    this.#add(m);
  }

  #add(m: ChatMessage): void {
    this.#messages = [...this.#messages, m];
    this.#emitChat();
  }

  #emitChat(): void {
    this.emit('chat', { mode: this.#mode, messages: this.#messages });
  }
}
