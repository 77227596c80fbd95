import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';

// Configuration: defaults, then an optional JSON file (CONCLAVE_CONFIG or ./conclave.config.json),
// then environment variables. Every value is validated; a bad value stops start-up with a message
// naming the setting.

export const SECRET_KEY_FORMAT = 'must be 64 hex characters or the base64 of 32 bytes';

/** A 32-byte key from 64 hex characters or base64 (or base64url); undefined for anything else. */
export function parseSecretKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(t)) {
    const key = Buffer.from(t, 'base64');
    if (key.length === 32) return key;
  }
  return undefined;
}

const iceServerSchema = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});

export const configSchema = z.object({
  host: z.string().default('0.0.0.0'),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  /** The address people use to reach the server; invite links are built from it. */
  publicUrl: z.string().url().optional(),
  dataDir: z.string().default('./data'),
  /**
   * The key that encrypts TOTP secrets at rest (config/secret-key.ts): 64 hex characters or the
   * base64 of 32 bytes. Unset: `<dataDir>/secret.key`, created on first start.
   */
  secretKey: z
    .string()
    .refine((s) => parseSecretKey(s) !== undefined, SECRET_KEY_FORMAT)
    .optional(),
  tls: z.object({ certFile: z.string(), keyFile: z.string() }).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ice: z
    .object({
      /** STUN/TURN servers handed to the SFU; none by default (no traffic leaves the machine). */
      servers: z.array(iceServerSchema).default([]),
      /** Extra host addresses the SFU offers as candidates (loopback for local use and tests). */
      additionalHostAddresses: z.array(z.string()).default(['127.0.0.1']),
    })
    .default({ servers: [], additionalHostAddresses: ['127.0.0.1'] }),
  media: z
    .object({
      workers: z.coerce.number().int().min(1).max(64).default(Math.max(1, availableParallelism())),
      keyframeRequestMinIntervalMs: z.coerce.number().int().min(100).max(10_000).default(500),
      /** TEST ONLY: keep payload samples so tests can show what the server sees. */
      inspection: z.boolean().default(false),
    })
    .default({
      workers: Math.max(1, availableParallelism()),
      keyframeRequestMinIntervalMs: 500,
      inspection: false,
    }),
  captions: z
    .object({
      /**
       * Live-captions engine: PocketSphinx installed on this machine (Debian `pocketsphinx` +
       * `pocketsphinx-en-us`), an external whisper.cpp server, or off.
       */
      engine: z.enum(['pocketsphinx', 'whisper', 'off']).default('pocketsphinx'),
      pocketsphinxCommand: z.string().default('pocketsphinx_continuous'),
      pocketsphinxModelRoot: z.string().default('/usr/share/pocketsphinx/model'),
      /** Base URL of a whisper.cpp `server` (engine "whisper"). */
      whisperUrl: z.string().url().optional(),
      /** Languages offered with the whisper engine. */
      whisperLanguages: z.array(z.string()).default(['en-US']),
    })
    .default({
      engine: 'pocketsphinx',
      pocketsphinxCommand: 'pocketsphinx_continuous',
      pocketsphinxModelRoot: '/usr/share/pocketsphinx/model',
      whisperLanguages: ['en-US'],
    })
    .refine((c) => c.engine !== 'whisper' || c.whisperUrl !== undefined, {
      message: 'captions.whisperUrl is required when captions.engine is "whisper"',
    }),
  /**
   * Behind a reverse proxy: trust its X-Forwarded-For, so per-address sign-in limits see clients,
   * not the proxy. Leave off when clients reach the server directly (they could forge it).
   */
  trustProxy: z.boolean().default(false),
  /** `postgres://...` switches storage to PostgreSQL; unset keeps the SQLite file in dataDir. */
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  /**
   * `redis://...` makes this process one node of a cluster (issue 19; README "Running several
   * nodes"): shared limits and cross-node events in Redis, node registry and meeting leases in
   * PostgreSQL (so `databaseUrl` is required).
   */
  redisUrl: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  cluster: z
    .object({
      /** This node's name in the registry (default: host name and port). */
      nodeId: z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, ".", "_" and "-" (at most 64)')
        .optional(),
      /** Where the other nodes reach this one's HTTP and /ws (default: http://127.0.0.1:port). */
      nodeUrl: z.string().url().optional(),
      /** The address this node's media is reached at (default: the first ICE host address). */
      mediaAddress: z.string().min(1).optional(),
      /** How often the node writes its heartbeat and renews its meetings' leases. */
      heartbeatMs: z.coerce.number().int().min(100).max(60_000).default(1000),
      /** A lease (and a heartbeat) older than this is dead: a killed node's meetings move then. */
      leaseMs: z.coerce.number().int().min(500).max(600_000).default(4000),
      /** Prefix of every Redis key and channel (several deployments may share one Redis). */
      redisPrefix: z.string().max(64).default('conclave:'),
    })
    .default({ heartbeatMs: 1000, leaseMs: 4000, redisPrefix: 'conclave:' }),
  /** Outgoing mail. Without `host`, mail lands in the outbox table that admins read. */
  smtp: z
    .object({
      host: z.string().min(1),
      port: z.coerce.number().int().min(1).max(65535).default(587),
      /** Implicit TLS (port 465); otherwise STARTTLS is used when the server offers it. */
      secure: z.boolean().default(false),
      user: z.string().optional(),
      password: z.string().optional(),
      from: z.string().default('Conclave <no-reply@localhost>'),
    })
    .optional(),
  /** The mail queue's dispatcher (modules/mail/README.md); it runs only when SMTP is configured. */
  mail: z
    .object({
      /** How often queued mail that is due is sent (new mail is also sent at once). */
      dispatchIntervalSeconds: z.coerce.number().int().min(1).max(3600).default(10),
      /** Mail still failing after this long is no longer retried; it stays with its last error. */
      giveUpHours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .default(72),
    })
    .default({ dispatchIntervalSeconds: 10, giveUpHours: 72 }),
  auth: z
    .object({
      sessionTtlHours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 90)
        .default(24 * 14),
      /** Failed sign-ins in a row before the user is locked out for `lockoutMinutes`. */
      maxFailedLogins: z.coerce.number().int().min(1).max(100).default(5),
      lockoutMinutes: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(15),
      /** Sign-in attempts per IP address per minute. */
      loginAttemptsPerMinute: z.coerce.number().int().min(1).max(10_000).default(20),
    })
    .default({
      sessionTtlHours: 24 * 14,
      maxFailedLogins: 5,
      lockoutMinutes: 15,
      loginAttemptsPerMinute: 20,
    }),
  /** Trust center (modules/legal/README.md). */
  legal: z
    .object({
      /**
       * Operator allow-list of requester email domains (a domain also admits its subdomains). A
       * requester also needs an agency registered for the domain by a legal admin. Empty: the
       * portal accepts no registrations.
       */
      allowedEmailDomains: z.array(z.string().trim().toLowerCase().min(3)).default([]),
      /** The account whose legal_reviewer / legal_admin users staff the console; default: the oldest. */
      operatorAccountId: z.string().optional(),
      maxDocumentMegabytes: z.coerce.number().min(1).max(100).default(10),
      schedulerIntervalSeconds: z.coerce.number().int().min(1).max(3600).default(60),
      reviewSlaHours: z.coerce
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(72),
      emergencySlaHours: z.coerce.number().int().min(1).max(72).default(4),
      ndoReminderDays: z.coerce.number().int().min(1).max(90).default(7),
      maxTargets: z.coerce.number().int().min(1).max(1000).default(10),
      maxRangeDays: z.coerce.number().int().min(1).max(3660).default(366),
      /**
       * Two reviewers of one disclosure may not be linked by an invitation (or legal-role grant)
       * within this many days, unless the owner confirmed the invited reviewer.
       */
      reviewerIndependenceDays: z.coerce.number().int().min(0).max(3650).default(90),
    })
    .default({
      allowedEmailDomains: [],
      maxDocumentMegabytes: 10,
      schedulerIntervalSeconds: 60,
      reviewSlaHours: 72,
      emergencySlaHours: 4,
      ndoReminderDays: 7,
      maxTargets: 10,
      maxRangeDays: 366,
      reviewerIndependenceDays: 90,
    }),
  /**
   * Meetings created without an account (guest meetings). They have no plan and no account admin,
   * so the operator decides for them (DESIGN.md §4.1 rule 2).
   */
  meetings: z
    .object({
      /** Anyone may create a meeting without signing in (off: only signed-in users create). */
      guestCreation: z.boolean().default(true),
      /** Hosts of guest meetings may turn on end-to-end encryption. */
      guestE2ee: z.boolean().default(true),
      /** Wrong passcodes one client address may send before growing delays (1 s, doubling). */
      passcodeAttemptsPerAddress: z.coerce.number().int().min(1).max(1000).default(5),
      /** Wrong passcodes one meeting may receive from everyone before growing delays. */
      passcodeAttemptsPerMeeting: z.coerce.number().int().min(1).max(10_000).default(20),
      /** The longest wait the delays grow to. */
      passcodeMaxDelaySeconds: z.coerce.number().int().min(1).max(3600).default(300),
    })
    .default({
      guestCreation: true,
      guestE2ee: true,
      passcodeAttemptsPerAddress: 5,
      passcodeAttemptsPerMeeting: 20,
      passcodeMaxDelaySeconds: 300,
    }),
  /** Cloud recordings (DESIGN.md §8): stored sealed under `<dataDir>/recordings`. */
  recordings: z
    .object({
      /** The ffmpeg that composes recordings after a meeting (Debian's `ffmpeg` package). */
      ffmpegPath: z.string().min(1).default('ffmpeg'),
      /**
       * Where sealed recordings are kept (default `<dataDir>/recordings`). Several nodes: one
       * directory every node mounts (README "Running several nodes"), so a recording made on
       * one node downloads through any.
       */
      dir: z.string().min(1).optional(),
      /** How often the scheduler deletes recordings past their account's retention. */
      retentionSweepSeconds: z.coerce.number().int().min(1).max(86_400).default(3600),
    })
    .default({ ffmpegPath: 'ffmpeg', retentionSweepSeconds: 3600 }),
  /** Flood resistance of the `/ws` signaling endpoint (signaling/flood-guard.ts). */
  signaling: z
    .object({
      /** A connection that has not joined a meeting this long after connecting is closed. */
      joinTimeoutSeconds: z.coerce.number().int().min(1).max(300).default(10),
      /** Connections one client address may hold open before joining; more are refused (429). */
      maxUnjoinedPerAddress: z.coerce.number().int().min(1).max(10_000).default(20),
      /** Messages per second of a joined participant before RATE_LIMITED replies (4x: closed). */
      messagesPerSecond: z.coerce.number().int().min(1).max(10_000).default(50),
      /** Messages per second before joining (4x: closed). */
      preJoinMessagesPerSecond: z.coerce.number().int().min(1).max(1000).default(10),
      /** Largest frame before joining (a join message is under 2 KiB); larger closes (1009). */
      preJoinMaxBytes: z.coerce
        .number()
        .int()
        .min(1024)
        .max(1024 * 1024)
        .default(16 * 1024),
    })
    .default({
      joinTimeoutSeconds: 10,
      maxUnjoinedPerAddress: 20,
      messagesPerSecond: 50,
      preJoinMessagesPerSecond: 10,
      preJoinMaxBytes: 16 * 1024,
    }),
  reconnectGraceSeconds: z.coerce.number().int().min(1).max(600).default(30),
  /** Where the built web app is; the server serves it when present. */
  webRoot: z.string().default(resolve(import.meta.dirname, '../../../web/dist')),
});

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

/** `true` / `false`; anything else stays a string, so validation names the setting. */
const strictBoolean = (v: string): boolean | string =>
  v === 'true' ? true : v === 'false' ? false : v;

const envMap: Record<string, (c: Record<string, unknown>, v: string) => void> = {
  HOST: (c, v) => (c.host = v),
  PORT: (c, v) => (c.port = v),
  CONCLAVE_PUBLIC_URL: (c, v) => (c.publicUrl = v),
  CONCLAVE_DATA_DIR: (c, v) => (c.dataDir = v),
  CONCLAVE_SECRET_KEY: (c, v) => (c.secretKey = v),
  CONCLAVE_LOG_LEVEL: (c, v) => (c.logLevel = v),
  CONCLAVE_TLS_CERT: (c, v) => (c.tls = { ...(c.tls as object), certFile: v }),
  CONCLAVE_TLS_KEY: (c, v) => (c.tls = { ...(c.tls as object), keyFile: v }),
  CONCLAVE_ICE_SERVERS: (c, v) =>
    (c.ice = {
      ...(c.ice as object),
      servers: v
        .split(',')
        .filter(Boolean)
        .map((urls) => ({ urls })),
    }),
  CONCLAVE_ICE_HOST_ADDRESSES: (c, v) =>
    (c.ice = { ...(c.ice as object), additionalHostAddresses: v.split(',').filter(Boolean) }),
  CONCLAVE_MEDIA_WORKERS: (c, v) => (c.media = { ...(c.media as object), workers: v }),
  CONCLAVE_WEB_ROOT: (c, v) => (c.webRoot = v),
  CONCLAVE_CAPTIONS_ENGINE: (c, v) => (c.captions = { ...(c.captions as object), engine: v }),
  CONCLAVE_CAPTIONS_WHISPER_URL: (c, v) =>
    (c.captions = { ...(c.captions as object), whisperUrl: v }),
  DATABASE_URL: (c, v) => (c.databaseUrl = v),
  CONCLAVE_RECORDINGS_DIR: (c, v) => (c.recordings = { ...(c.recordings as object), dir: v }),
  REDIS_URL: (c, v) => (c.redisUrl = v),
  CONCLAVE_NODE_ID: (c, v) => (c.cluster = { ...(c.cluster as object), nodeId: v }),
  CONCLAVE_NODE_URL: (c, v) => (c.cluster = { ...(c.cluster as object), nodeUrl: v }),
  CONCLAVE_MEDIA_ADDRESS: (c, v) => (c.cluster = { ...(c.cluster as object), mediaAddress: v }),
  CONCLAVE_CLUSTER_HEARTBEAT_MS: (c, v) =>
    (c.cluster = { ...(c.cluster as object), heartbeatMs: v }),
  CONCLAVE_CLUSTER_LEASE_MS: (c, v) => (c.cluster = { ...(c.cluster as object), leaseMs: v }),
  CONCLAVE_REDIS_PREFIX: (c, v) => (c.cluster = { ...(c.cluster as object), redisPrefix: v }),
  CONCLAVE_LEGAL_ALLOWED_DOMAINS: (c, v) =>
    (c.legal = { ...(c.legal as object), allowedEmailDomains: v.split(',').filter(Boolean) }),
  CONCLAVE_LEGAL_OPERATOR_ACCOUNT: (c, v) =>
    (c.legal = { ...(c.legal as object), operatorAccountId: v }),
  CONCLAVE_GUEST_MEETINGS: (c, v) =>
    (c.meetings = { ...(c.meetings as object), guestCreation: strictBoolean(v) }),
  CONCLAVE_GUEST_E2EE: (c, v) =>
    (c.meetings = { ...(c.meetings as object), guestE2ee: strictBoolean(v) }),
  CONCLAVE_TRUST_PROXY: (c, v) => (c.trustProxy = v === 'true'),
  CONCLAVE_SMTP_HOST: (c, v) => (c.smtp = { ...(c.smtp as object), host: v }),
  CONCLAVE_SMTP_PORT: (c, v) => (c.smtp = { ...(c.smtp as object), port: v }),
  CONCLAVE_SMTP_SECURE: (c, v) => (c.smtp = { ...(c.smtp as object), secure: v === 'true' }),
  CONCLAVE_SMTP_USER: (c, v) => (c.smtp = { ...(c.smtp as object), user: v }),
  CONCLAVE_SMTP_PASSWORD: (c, v) => (c.smtp = { ...(c.smtp as object), password: v }),
  CONCLAVE_SMTP_FROM: (c, v) => (c.smtp = { ...(c.smtp as object), from: v }),
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: ConfigInput = {},
): Config {
  const raw: Record<string, unknown> = {};
  const file =
    env.CONCLAVE_CONFIG ??
    (existsSync('conclave.config.json') ? 'conclave.config.json' : undefined);
  if (file) {
    try {
      Object.assign(raw, JSON.parse(readFileSync(file, 'utf8')));
    } catch (err) {
      throw new ConfigError(`Cannot read config file ${file}: ${(err as Error).message}`);
    }
  }
  for (const [name, apply] of Object.entries(envMap)) {
    const value = env[name];
    if (value !== undefined && value !== '') apply(raw, value);
  }
  Object.assign(raw, overrides);
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  if (c.redisUrl && !c.databaseUrl)
    throw new ConfigError(
      'Invalid configuration:\n  redisUrl: several nodes share one PostgreSQL database: set DATABASE_URL too',
    );
  if (c.redisUrl && c.cluster.heartbeatMs * 2 > c.cluster.leaseMs)
    throw new ConfigError(
      'Invalid configuration:\n  cluster.leaseMs: must be at least twice cluster.heartbeatMs',
    );
  return c;
}

/** The base URL invite links use. */
export function publicBaseUrl(config: Config, listeningPort: number): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/$/, '');
  const scheme = config.tls ? 'https' : 'http';
  return `${scheme}://localhost:${listeningPort}`;
}
