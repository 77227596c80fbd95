import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MeetingId } from '@conclave/protocol';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { MediaWorker } from './rtc/media-workers';
import type { AccountStore } from './modules/accounts/account-store';
import { AccountPolicySource } from './modules/accounts/account-policy';
import { AdminService } from './modules/accounts/admin-service';
import type { AdminAuditStore } from './modules/accounts/audit-store';
import { AuthService } from './modules/accounts/auth-service';
import { LoginLimiter } from './modules/accounts/login-limiter';
import { ReviewerLinks } from './modules/accounts/reviewer-links';
import type { SessionStore } from './modules/accounts/session-store';
import type { TokenStore } from './modules/accounts/token-store';
import type { UserStore } from './modules/accounts/user-store';
import type { MailTransport } from './modules/mail/mail-dispatcher';
import { OutboxMailer } from './modules/mail/outbox-mailer';
import type { OutboxStore } from './modules/mail/outbox-store';
import { SmtpMailer } from './modules/mail/smtp-mailer';
import { MailDispatcher } from './modules/mail/mail-dispatcher';
import { MyMeetings } from './modules/meetings/my-meetings';
import type { Clock } from './modules/legal/deadlines';
import { systemClock } from './modules/legal/deadlines';
import type { LegalStore } from './modules/legal/legal-store';
import type { SubjectDirectory } from './modules/legal/subject-directory';
import { createLegalModule } from './modules/legal/wire';
import { TransparencyService } from './modules/transparency/transparency-service';
import type { TransparencyStore } from './modules/transparency/transparency-store';
import type { LegalModule } from './modules/legal/wire';
import { LiveSettings } from './rtc/live-settings';
import { sessionCookieValue } from './http/auth/cookies';
import { CsrfTokens } from './http/auth/csrf';
import type { Config } from './config/config';
import { publicBaseUrl } from './config/config';
import { buildApp } from './http/app';
import type { Logger } from './logger';
import { MeetingService } from './modules/meetings/meeting-service';
import { PasscodeGuard } from './modules/meetings/passcode-guard';
import type { AttemptStore } from './modules/limits/attempt-store';
import { MemoryAttemptStore } from './modules/limits/attempt-store';
import type { MeetingStore } from './modules/meetings/meeting-store';
import { startMediaWorkers } from './rtc/media-workers';
import { selectRecognizer } from './rtc/captions/select-recognizer';
import { RoomRegistry } from './rtc/room-registry';
import { RecordingService } from './modules/recordings/recording-service';
import type { RecordingStore } from './modules/recordings/recording-store';
import { finishRecordingRotation } from './modules/recordings/reseal';
import { recordingKey } from './modules/recordings/sealed-file';
import { SignalingServer } from './signaling/signaling-server';
import { hostname, loadavg, availableParallelism } from 'node:os';
import type { WindowCounter } from './modules/accounts/login-limiter';
import type { ClusterBus } from './modules/cluster/cluster-bus';
import { ClusterNode } from './modules/cluster/cluster-node';
import { clusterStatus } from './modules/cluster/cluster-status';
import type { ClusterStore } from './modules/cluster/cluster-store';
import { ViaSigner } from './modules/cluster/via-header';

export interface RunningServer {
  url: string;
  port: number;
  app: FastifyInstance;
  rooms: RoomRegistry;
  signaling: SignalingServer;
  workers: MediaWorker[];
  auth: AuthService;
  admin: AdminService;
  liveSettings: LiveSettings;
  legal: LegalModule;
  transparency: TransparencyService;
  recordings: RecordingService;
  /** This node of a cluster (undefined for a single node). */
  cluster: ClusterNode | undefined;
  /** Sends queued mail over SMTP; undefined without SMTP (mail stays in the outbox). */
  mailDispatcher: MailDispatcher | undefined;
  /** Graceful shutdown: stop accepting, close meetings, close media workers and storage. */
  close(): Promise<void>;
}

/** The storage ports the server needs; main.ts fills them from one adapter. */
export interface ServerStores {
  meetings: MeetingStore;
  accounts: AccountStore;
  users: UserStore;
  sessions: SessionStore;
  tokens: TokenStore;
  audit: AdminAuditStore;
  outbox: OutboxStore;
  legal: LegalStore;
  transparency: TransparencyStore;
  subjects: SubjectDirectory;
  recordings: RecordingStore;
}

export interface ServerParts {
  config: Config;
  logger: Logger;
  stores: ServerStores;
  /** Overrides where queued mail is delivered (default: SMTP when configured, else nowhere). */
  mailTransport?: MailTransport;
  db: Kysely<never> | Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The server secret key (config/secret-key.ts); the CSRF key is derived from it. */
  secretKey: Buffer;
  /** The trust center's clock (deadlines, NDO expiry); tests move it. */
  clock?: Clock;
  /**
   * Where failed passcode attempts and /ws abuse are counted (default: this process's memory;
   * a shared store, e.g. Redis, makes the limits hold across nodes).
   */
  attempts?: AttemptStore;
  /**
   * Several nodes (issue 19): the node registry and leases, the cross-node event bus and the
   * shared sign-in windows. Absent: one node, everything in this process (the default).
   */
  cluster?: { store: ClusterStore; bus: ClusterBus; loginWindows: WindowCounter };
}

/** Wires the server from already-opened parts; main.ts decides which storage adapter. */
export async function startServer(parts: ServerParts): Promise<RunningServer> {
  const { config, logger } = parts;
  const workers = await startMediaWorkers(config, logger);

  let port = config.port;
  let shuttingDown = false;
  const { stores } = parts;
  const attempts = parts.attempts ?? new MemoryAttemptStore();
  const baseUrl = () => publicBaseUrl(config, port);
  const meetings = new MeetingService(
    stores.meetings,
    () => new Date(),
    new AccountPolicySource(stores.accounts),
    () => ({ creation: config.meetings.guestCreation, e2ee: config.meetings.guestE2ee }),
    new PasscodeGuard(
      {
        freePerAddress: config.meetings.passcodeAttemptsPerAddress,
        freePerMeeting: config.meetings.passcodeAttemptsPerMeeting,
        maxDelayMs: config.meetings.passcodeMaxDelaySeconds * 1000,
      },
      attempts,
    ),
  );
  // Mail is queued in the outbox table. With SMTP the dispatcher sends it and retries; without,
  // it stays there for admins to read.
  const clock = parts.clock ?? systemClock;
  const smtp = config.smtp ? new SmtpMailer(config.smtp) : undefined;
  const transport = parts.mailTransport ?? smtp;
  const dispatcher = transport
    ? new MailDispatcher({
        store: stores.outbox,
        transport,
        clock,
        logger,
        giveUpAfterMs: config.mail.giveUpHours * 3_600_000,
      })
    : undefined;
  const mailQueued = () => dispatcher?.kick();
  const mailer = new OutboxMailer(stores.outbox, clock, mailQueued);
  const auth = new AuthService({
    ...stores,
    mailer,
    baseUrl,
    sessionTtlMs: config.auth.sessionTtlHours * 3_600_000,
    maxFailedLogins: config.auth.maxFailedLogins,
    lockoutMs: config.auth.lockoutMinutes * 60_000,
  });
  const admin = new AdminService({ ...stores, mailer, baseUrl });
  const recordingsDir = config.recordings.dir ?? dataFile(config, 'recordings');
  // A key rotation interrupted between its commit and its renames is finished here (reseal.ts).
  const rotation = await finishRecordingRotation(recordingsDir, recordingKey(parts.secretKey));
  if (rotation.renamed + rotation.discarded > 0)
    logger.warn(rotation, 'finished an interrupted recording-key rotation');
  const recordings = new RecordingService({
    store: stores.recordings,
    audit: stores.audit,
    accounts: stores.accounts,
    meetings: stores.meetings,
    dir: recordingsDir,
    // Several nodes: a recording whose meeting another live node runs is not a crashed one.
    runningElsewhere: async (meetingId) => {
      const owner = await cluster?.ownerElsewhere(meetingId);
      return owner !== undefined;
    },
    key: recordingKey(parts.secretKey),
    clock,
    logger,
    ffmpegPath: config.recordings.ffmpegPath,
    // the node composing a recording claims it (several nodes share the recordings)
    nodeId: config.cluster.nodeId ?? `${hostname()}-${config.port}`,
  });
  const reviewerLinks = new ReviewerLinks(stores.audit, config.legal.reviewerIndependenceDays);
  const legal = createLegalModule({
    reviewersLinked: async (decider, approver) => {
      const operator = await stores.subjects.operatorAccountId();
      return operator !== undefined && reviewerLinks.linked(operator, decider, approver);
    },
    config,
    store: stores.legal,
    directory: stores.subjects,
    mailer,
    mailQueued,
    clock: parts.clock ?? systemClock,
    logger,
    baseUrl,
    recordings,
  });
  const transparency = new TransparencyService({
    store: stores.transparency,
    clock: parts.clock ?? systemClock,
  });
  const myMeetings = new MyMeetings({
    store: stores.meetings,
    areAccountUsers: async (accountId, ids) => {
      for (const id of ids) {
        const u = await stores.users.findUserById(id);
        if (!u || u.accountId !== accountId || u.status !== 'active') return false;
      }
      return true;
    },
    colleagues: async (accountId) => {
      const { users } = await stores.users.listUsers(accountId, { limit: 500, offset: 0 });
      return users
        .filter((u) => u.status === 'active')
        .map((u) => ({ id: u.id, name: u.name, email: u.email }));
    },
  });
  const clusterParts = parts.cluster;
  let cluster: ClusterNode | undefined;
  const rooms: RoomRegistry = new RoomRegistry({
    // Several nodes: this node holds the meeting's lease now, so a recording of it still
    // "recording" belonged to a node that died.
    ...(clusterParts
      ? {
          onRoomOpened: (id: MeetingId) =>
            void recordings
              .recoverMeeting(id)
              .catch((err: unknown) =>
                logger.error({ err, meetingId: id }, 'recording takeover failed'),
              ),
        }
      : {}),
    onRoomClosed: (id) =>
      void cluster
        ?.release(id)
        .catch((err: unknown) => logger.warn({ err, meetingId: id }, 'lease release failed')),
    workers,
    logger,
    reconnectGraceMs: config.reconnectGraceSeconds * 1000,
    endMeeting: (id) => meetings.end(id),
    recognizer: selectRecognizer(config.captions),
    recorderFor: (meetingId) => ({
      availability: () => recordings.availability(meetingId),
      begin: (name) => recordings.begin(meetingId, name),
    }),
  });
  if (clusterParts) {
    const self = () => {
      const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
      return {
        nodeId: config.cluster.nodeId ?? `${hostname()}-${port}`,
        publicUrl:
          config.cluster.nodeUrl?.replace(/\/$/, '') ??
          `${config.tls ? 'https' : 'http'}://${host}:${port}`,
        mediaAddress: config.cluster.mediaAddress ?? config.ice.additionalHostAddresses[0] ?? host,
        workers: workers.length,
      };
    };
    cluster = new ClusterNode({
      store: clusterParts.store,
      self,
      timings: config.cluster,
      localLoad: () => ({
        ...rooms.load(),
        cpu: Math.round((loadavg()[0]! / availableParallelism()) * 100) / 100,
      }),
      lostMeeting: (id) => void rooms.room(id as MeetingId).then((room) => room?.close('moved')),
      logger,
    });
  }
  const signaling = new SignalingServer({
    ...(cluster ? { cluster: { node: cluster, via: new ViaSigner(parts.secretKey) } } : {}),
    meetings,
    rooms,
    logger,
    idleTimeoutMs: 45_000,
    joinTimeoutMs: config.signaling.joinTimeoutSeconds * 1000,
    maxUnjoinedPerAddress: config.signaling.maxUnjoinedPerAddress,
    abuseStore: attempts,
    limits: {
      maxMessagesPerSecond: config.signaling.messagesPerSecond,
      preJoinMessagesPerSecond: config.signaling.preJoinMessagesPerSecond,
      preJoinMaxBytes: config.signaling.preJoinMaxBytes,
    },
    identifyUser: async (req) => {
      const token = sessionCookieValue(req);
      const ctx = token ? await auth.resolve(token) : undefined;
      return ctx?.user.id;
    },
  });
  const liveSettings = new LiveSettings({
    rooms,
    openMeetingIds: (accountId) => stores.meetings.openMeetingIdsOfAccount(accountId),
    currentSettings: (id) => meetings.currentSettings(id),
    logger,
  });
  const pushSettings = (accountId: string) =>
    void liveSettings
      .accountChanged(accountId)
      .catch((err: unknown) => logger.error({ err, accountId }, 'live settings push failed'));
  // Several nodes: the change goes out on the bus (a reference) and every node, this one
  // included, pushes it into the rooms it runs.
  const settingsChanged = clusterParts
    ? (accountId: string) =>
        void clusterParts.bus
          .publish({ type: 'account.settings', accountId })
          .catch((err: unknown) => logger.error({ err, accountId }, 'cluster publish failed'))
    : pushSettings;
  clusterParts?.bus.subscribe((m) => {
    if (m.type === 'account.settings') pushSettings(m.accountId);
  });
  recordings.onSettingsChanged = settingsChanged;
  admin.onError = (err) => logger.error({ err }, 'policyChanged listener failed');
  admin.on('policyChanged', settingsChanged);
  const app = await buildApp({
    logger,
    meetings,
    myMeetings,
    auth,
    admin,
    loginLimiter: new LoginLimiter(config.auth.loginAttemptsPerMinute, clusterParts?.loginWindows),
    cookies: {
      // Behind a TLS-terminating proxy the server speaks HTTP, but browsers see https.
      secure: Boolean(config.tls) || Boolean(config.publicUrl?.startsWith('https://')),
      sessionTtlMs: config.auth.sessionTtlHours * 3_600_000,
      csrf: new CsrfTokens(parts.secretKey),
    },
    trustProxy: config.trustProxy,
    signaling,
    webRoot: config.webRoot,
    baseUrl,
    legal,
    legalAccess: {
      resolveRequester: (token) => legal.requesters.resolve(token),
      operatorAccountId: () => stores.subjects.operatorAccountId(),
    },
    transparency,
    recordings,
    recordingKey: recordingKey(parts.secretKey),
    userNotices: {
      list: (userId) => stores.legal.notices.listUserNotices(userId),
      markRead: (userId, id, at) => stores.legal.notices.markUserNoticeRead(userId, id, at),
    },
    isHealthy: () => !shuttingDown,
    ...(clusterParts
      ? { clusterNodes: () => clusterStatus(clusterParts.store, config.cluster.leaseMs) }
      : {}),
    ...(config.tls
      ? {
          https: { cert: readFileSync(config.tls.certFile), key: readFileSync(config.tls.keyFile) },
        }
      : {}),
  });
  await app.listen({ host: config.host, port: config.port });
  legal.scheduler.start(config.legal.schedulerIntervalSeconds * 1000);
  dispatcher?.start(config.mail.dispatchIntervalSeconds * 1000);
  recordings.start(config.recordings.retentionSweepSeconds * 1000);
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : config.port;
  const url = `${config.tls ? 'https' : 'http'}://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  await cluster?.start();

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    app,
    rooms,
    signaling,
    workers,
    auth,
    admin,
    liveSettings,
    legal,
    transparency,
    recordings,
    mailDispatcher: dispatcher,
    cluster,
    close() {
      closing ??= (async () => {
        shuttingDown = true;
        await cluster?.stop(true);
        await legal.scheduler.stop();
        await dispatcher?.stop();
        signaling.closeAll();
        await rooms.closeAll();
        await recordings.stop();
        await app.close();
        await Promise.all(workers.map((w) => w.close()));
        smtp?.close();
        await parts.db.destroy();
      })();
      return closing;
    },
  };
}

export function dataFile(config: Config, name: string): string {
  return join(config.dataDir, name);
}
