import {
  ConclaveError,
  decodeClientMessage,
  encodeMessage,
  PROTOCOL_VERSION,
} from '@conclave/protocol';
import type { ClientMessage, ServerMessage } from '@conclave/protocol';
import type { FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import type { Logger } from '../logger';
import type { MeetingService } from '../modules/meetings/meeting-service';
import type { ParticipantHandle, RoomRegistry } from '../rtc/room-registry';
import { capFrameBytes, FloodGuard, JOINED_MAX_FRAME_BYTES } from './flood-guard';
import type { FloodLimits } from './flood-guard';
import type { SignalingPeer } from './peer';
import { TurnBatching } from './turn-batching';

export interface SessionDeps {
  meetings: MeetingService;
  rooms: RoomRegistry;
  logger: Logger;
  /** A socket that says nothing for this long is closed (clients send heartbeats). */
  idleTimeoutMs: number;
  /** A socket that has not joined a meeting this long after connecting is closed. */
  joinTimeoutMs: number;
  /** Message rates and sizes (FloodGuard). */
  limits: FloodLimits;
  /**
   * The signed-in user behind the upgrade request's session cookie, if any: the owner and
   * co-hosts of a meeting join as host without its host key.
   */
  identifyUser?: (req: FastifyRequest) => Promise<string | undefined>;
}

/** Who is at the other end of a connection, as the upgrade request told. */
export interface ConnectionInfo {
  userId?: Promise<string | undefined>;
  /** The client address (X-Forwarded-For only with trustProxy): passcode limits per address. */
  address?: string;
  /** Called once, when the connection first joins a meeting (it is no longer anonymous). */
  onJoined?: () => void;
  /** Called when the connection is closed for abuse (oversized frame, flood). */
  onAbuse?: () => void;
  /**
   * Several nodes (issue 19): where a join is served. `remote` hands the socket to `handOff`,
   * which forwards it to the owner; an error (NODE_UNAVAILABLE) is the join's answer.
   */
  route?: (meetingId: string) => Promise<{ kind: 'local' } | { kind: 'remote'; url: string }>;
  handOff?: (first: Uint8Array, joinRequestId: string, ownerUrl: string) => void;
}

/**
 * One WebSocket connection. Bytes become messages only through decodeClientMessage; every
 * request gets exactly one response; a bad message gets a typed error and the session goes on.
 */
export class SignalingSession implements SignalingPeer {
  readonly #socket: WebSocket;
  readonly #deps: SessionDeps;
  readonly #log: Logger;
  #handle: ParticipantHandle | undefined;
  #joining = false;
  #idleTimer: NodeJS.Timeout | undefined;
  #joinTimer: NodeJS.Timeout | undefined;
  readonly #flood: FloodGuard;
  /** What this session sends in one turn leaves in one write. */
  readonly #batching: TurnBatching;
  #closed = false;
  /** Closing because of what the client sent: further frames are dropped unread. */
  #refusing = false;
  /** Handed to another node: frames are forwarded by the proxy, not read here. */
  #proxying = false;

  readonly #userId: Promise<string | undefined>;
  readonly #conn: ConnectionInfo;

  constructor(socket: WebSocket, deps: SessionDeps, conn: ConnectionInfo = {}) {
    this.#userId = (conn.userId ?? Promise.resolve(undefined)).catch(() => undefined);
    this.#conn = conn;
    this.#socket = socket;
    this.#deps = deps;
    this.#flood = new FloodGuard(deps.limits);
    this.#batching = new TurnBatching(socket);
    capFrameBytes(socket, deps.limits.preJoinMaxBytes);
    this.#log = deps.logger.child({ component: 'signaling' });
    socket.on('message', (data) => this.#onRaw(data as Buffer));
    socket.on('close', () => this.#onSocketClosed());
    socket.on('error', (err) => {
      this.#log.debug({ err }, 'socket error');
      // A frame over the socket's cap: ws closes (1009) and would then drain, unread, whatever
      // else the peer sends; stop reading instead (after ws's own resume on the next tick).
      if ((err as { code?: string }).code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        this.#conn.onAbuse?.();
        setImmediate(() => this.#stopReading());
      }
    });
    this.#touch();
    this.#joinTimer = setTimeout(() => {
      this.#log.info('closing a connection that did not join in time');
      this.#refuse(1008, 'join timeout');
    }, deps.joinTimeoutMs);
    this.#joinTimer.unref();
  }

  send(message: ServerMessage): void {
    if (this.#closed || this.#socket.readyState !== this.#socket.OPEN) return;
    this.#batching.beforeSend();
    this.#socket.send(encodeMessage(message));
  }

  close(reason: string, code = 1000): void {
    if (this.#closed) return;
    this.#handle = undefined; // the room already let go of this participant
    // Close on the next turn, so a response to the request that caused it still goes out.
    setTimeout(() => this.#socket.close(code, reason.slice(0, 120)), 0);
  }

  #touch(): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      this.#log.info('closing idle signaling connection');
      this.#socket.terminate();
    }, this.#deps.idleTimeoutMs);
    this.#idleTimer.unref();
  }

  /** The frame's length is judged before a byte of it is decoded (ws joins fragments). */
  #onRaw(data: Buffer): void {
    if (this.#refusing || this.#closed || this.#proxying) return;
    this.#touch();
    const verdict = this.#flood.judge(data.byteLength, this.#handle !== undefined);
    if (verdict.kind === 'close') {
      this.send({ type: 'response', ok: false, error: verdict.error.toBody() });
      this.#conn.onAbuse?.();
      this.#refuse(verdict.code, verdict.reason);
      return;
    }
    if (verdict.kind === 'rate-limited') {
      this.send({ type: 'response', ok: false, error: new ConclaveError('RATE_LIMITED').toBody() });
      return;
    }
    this.#onFrame(data).catch((err: unknown) =>
      this.#log.error({ err }, 'signaling handler failed'),
    );
  }

  #refuse(code: number, reason: string): void {
    if (this.#refusing || this.#closed) return;
    this.#refusing = true;
    this.#socket.close(code, reason);
    this.#stopReading();
  }

  /** Reads nothing more (a flooder's queued frames would still be parsed) and cuts in 2 s. */
  #stopReading(): void {
    this.#refusing = true;
    this.#socket.pause();
    setTimeout(() => this.#socket.terminate(), 2000).unref();
  }

  async #onFrame(frame: Uint8Array): Promise<void> {
    const decoded = decodeClientMessage(frame);
    if (!decoded.ok) {
      this.send({
        type: 'response',
        ok: false,
        ...(decoded.requestId ? { requestId: decoded.requestId } : {}),
        error: decoded.error.toBody(),
      });
      return;
    }
    const message = decoded.message;
    try {
      if (message.type === 'join' && this.#conn.route && !this.#handle && !this.#joining) {
        const route = await this.#conn.route(message.meetingId);
        if (route.kind === 'remote' && this.#conn.handOff) {
          this.#handOffTo(frame, message.id, route.url);
          return;
        }
      }
      const result = await this.#dispatch(message);
      this.send({ type: 'response', requestId: message.id, ok: true, result: result ?? null });
    } catch (err) {
      const error =
        err instanceof ConclaveError
          ? err
          : (this.#log.error({ err, type: message.type }, 'request failed'),
            new ConclaveError('INTERNAL'));
      this.send({ type: 'response', requestId: message.id, ok: false, error: error.toBody() });
    }
  }

  async #dispatch(message: ClientMessage): Promise<unknown> {
    if (message.type === 'join') return this.#join(message);
    if (message.type === 'heartbeat') return { serverTime: Date.now() };
    const handle = this.#handle;
    if (!handle) throw new ConclaveError('NOT_JOINED');
    switch (message.type) {
      case 'leave':
        this.#handle = undefined;
        await handle.leave('left');
        return null;
      case 'media.state':
        return handle.setMediaState(message.audioMuted, message.videoMuted, message.screenSharing);
      case 'publish.offer':
        return handle.publish(message.sdp, message.tracks);
      case 'subscribe.answer':
        return handle.subscribeAnswer(message.sdp, message.offerId);
      case 'subscribe.restart':
        return handle.subscribeRestart();
      case 'subscribe.reset':
        return handle.subscribeReset();
      case 'media.keyFrameRequest':
        return handle.requestKeyFrames(message.scope);
      case 'media.tileSizes':
        return handle.setTileSizes(message.tiles);
      case 'host.mute':
        return handle.hostMute(message.participantId);
      case 'host.remove':
        return handle.hostRemove(message.participantId);
      case 'host.end':
        return handle.hostEnd();
      case 'host.stopShare':
        return handle.hostStopShare(message.participantId);
      case 'host.admit':
        return handle.hostAdmit(message.participantId);
      case 'host.spotlight':
        return handle.hostSpotlight(message.participantId);
      case 'hand.raise':
        return handle.raiseHand(message.raised);
      case 'reaction.send':
        return handle.react(message.reaction);
      case 'e2ee.keyPackage':
        return handle.e2eeKeyPackage(message.keyPackage, message.spare === true);
      case 'e2ee.enable':
        return handle.e2eeEnable();
      case 'e2ee.commit':
        return handle.e2eeCommit(message);
      case 'e2ee.disable':
        return handle.e2eeDisable(message.message);
      case 'e2ee.joinFailed':
        return handle.e2eeJoinFailed(message.reason, message.keyPackage);
      case 'e2ee.refused':
        return handle.e2eeRefused(message);
      case 'e2ee.admitHeld':
        return handle.e2eeAdmitHeld(message.participantId);
      case 'chat.send':
        return handle.chatSend(message.text, message.to);
      case 'chat.setMode':
        return handle.chatSetMode(message.mode);
      case 'chat.sendSealed':
        return handle.chatSendSealed(message.sealed, message.to);
      case 'whiteboard.update':
        return handle.whiteboardUpdate(message.update);
      case 'whiteboard.sync':
        return handle.whiteboardSync();
      case 'whiteboard.sealedUpdate':
        return handle.whiteboardSealed(message.sealed, message.snapshot);
      case 'breakout.open':
        return handle.breakoutOpen(message);
      case 'breakout.prepare':
        return handle.breakoutPrepare(message);
      case 'e2ee.prepareWelcome':
        return handle.e2eePrepareWelcome(message);
      case 'e2ee.prepareReady':
        return handle.e2eePrepareReady(message);
      case 'breakout.move':
        return handle.breakoutMove(message.participantId, message.roomIndex);
      case 'breakout.broadcast':
        return handle.breakoutBroadcast(message.text);
      case 'breakout.close':
        return handle.breakoutClose(message.countdownSeconds);
      case 'breakout.help':
        return handle.breakoutHelp();
      case 'breakout.join':
        return handle.breakoutJoin(message.roomIndex);
      case 'captions.start':
        return handle.captionsStart(message.language);
      case 'captions.stop':
        return handle.captionsStop();
      case 'captions.transcript':
        return handle.captionsTranscript();
      case 'recording.start':
        return handle.recordingStart();
      case 'recording.stop':
        return handle.recordingStop();
      case 'recording.local':
        return handle.recordingLocal(message.recording);
      case 'recording.allowLocal':
        return handle.recordingAllowLocal(message.allowed);
      default: {
        const unreachable: never = message;
        throw new ConclaveError('UNKNOWN_MESSAGE_TYPE', `Unhandled ${String(unreachable)}`);
      }
    }
  }

  async #join(message: Extract<ClientMessage, { type: 'join' }>) {
    if (message.protocolVersion !== PROTOCOL_VERSION)
      throw new ConclaveError('PROTOCOL_VERSION_UNSUPPORTED');
    if (this.#handle || this.#joining) throw new ConclaveError('ALREADY_JOINED');
    this.#joining = true;
    try {
      // A resume token proves an earlier admission; the room checks it and keeps the old role.
      const admission = message.resumeToken
        ? { role: undefined, settings: await this.#deps.meetings.assertOpen(message.meetingId) }
        : await this.#deps.meetings.admit(
            message.meetingId,
            message.passcode,
            message.hostKey,
            await this.#userId,
            this.#conn.address,
          );
      const role = admission.role;
      const accountUserId = await this.#userId;
      const { handle, result } = await this.#deps.rooms.join(message.meetingId, this, {
        displayName: message.displayName,
        ...(role ? { role } : {}),
        settings: admission.settings,
        ...(message.capabilities ? { capabilities: message.capabilities } : {}),
        ...(message.resumeToken ? { resumeToken: message.resumeToken } : {}),
        ...(accountUserId ? { accountUserId } : {}),
      });
      if (this.#closed) {
        handle.disconnected();
        throw new ConclaveError('NOT_JOINED', 'The connection closed while joining.');
      }
      this.#handle = handle;
      if (this.#joinTimer) {
        clearTimeout(this.#joinTimer);
        this.#joinTimer = undefined;
        capFrameBytes(this.#socket, JOINED_MAX_FRAME_BYTES);
        this.#conn.onJoined?.();
      }
      this.#log.info(
        {
          meetingId: message.meetingId,
          participantId: result.participantId,
          resumed: result.resumed,
        },
        'joined',
      );
      return result;
    } finally {
      this.#joining = false;
    }
  }

  /** From now on the owner answers: the proxy forwards every frame both ways. */
  #handOffTo(first: Uint8Array, requestId: string, url: string): void {
    this.#proxying = true;
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#joinTimer);
    this.#joinTimer = undefined;
    // The owner applies its own flood limits to the forwarded frames.
    capFrameBytes(this.#socket, JOINED_MAX_FRAME_BYTES);
    this.#conn.onJoined?.();
    this.#log.debug({ owner: url }, 'forwarding signaling to the meeting owner');
    this.#conn.handOff!(first, requestId, url);
  }

  #onSocketClosed(): void {
    this.#closed = true;
    clearTimeout(this.#idleTimer);
    clearTimeout(this.#joinTimer);
    const handle = this.#handle;
    this.#handle = undefined;
    handle?.disconnected();
  }
}
