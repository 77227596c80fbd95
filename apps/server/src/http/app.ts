import type { ClusterNodeView } from '@conclave/protocol';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import websocket from '@fastify/websocket';
import { ConclaveError } from '@conclave/protocol';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Logger } from '../logger';
import type { AdminService } from '../modules/accounts/admin-service';
import type { AuthService } from '../modules/accounts/auth-service';
import type { LoginLimiter } from '../modules/accounts/login-limiter';
import type { MeetingService } from '../modules/meetings/meeting-service';
import type { MyMeetings } from '../modules/meetings/my-meetings';
import { JOINED_MAX_FRAME_BYTES } from '../signaling/flood-guard';
import type { SignalingServer } from '../signaling/signaling-server';
import type { LegalModule } from '../modules/legal/wire';
import { installAccessControl } from './auth/access';
import type { LegalAccess } from './auth/access';
import type { CookiePolicy } from './auth/cookies';
import { installErrorHandler } from './error-handler';
import { adminAccountRoutes } from './routes/admin-account';
import { adminClusterRoutes } from './routes/admin-cluster';
import { adminUserRoutes } from './routes/admin-users';
import { authRoutes } from './routes/auth';
import { meetingRoutes } from './routes/meetings';
import { legalPortalRoutes } from './routes/legal-portal';
import { legalReviewRoutes } from './routes/legal-review';
import { legalStaffRoutes } from './routes/legal-staff';
import { myMeetingRoutes } from './routes/my-meetings';
import { myNoticeRoutes } from './routes/my-notices';
import type { MyNoticesOptions } from './routes/my-notices';
import { transparencyRoutes } from './routes/transparency';
import { recordingRoutes } from './routes/recordings';
import type { RecordingService } from '../modules/recordings/recording-service';
import type { TransparencyService } from '../modules/transparency/transparency-service';

export interface AppDeps {
  logger: Logger;
  meetings: MeetingService;
  myMeetings: MyMeetings;
  auth: AuthService;
  admin: AdminService;
  loginLimiter: LoginLimiter;
  cookies: CookiePolicy;
  /** Take the client address from X-Forwarded-For (sign-in limits per address). */
  trustProxy?: boolean;
  signaling: SignalingServer;
  webRoot: string;
  baseUrl: () => string;
  legal: LegalModule;
  legalAccess: LegalAccess;
  transparency: TransparencyService;
  recordings: RecordingService;
  /** The key recording files are sealed with. */
  recordingKey: Buffer;
  userNotices: MyNoticesOptions;
  https?: { cert: Buffer; key: Buffer };
  /** Reports false while shutting down so load balancers stop sending people here. */
  isHealthy: () => boolean;
  /** Several nodes: the registry as /admin shows it (undefined on a single node). */
  clusterNodes?: () => Promise<ClusterNodeView[]>;
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger,
    bodyLimit: 64 * 1024,
    trustProxy: deps.trustProxy ?? false,
    ...(deps.https ? { https: deps.https } : {}),
  }) as unknown as FastifyInstance;

  installErrorHandler(app);
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        upgradeInsecureRequests: null,
      },
    },
    // Pages are served over plain HTTP on localhost by default; HSTS only makes sense with TLS.
    hsts: Boolean(deps.https),
  });
  // After helmet: its onRequest hook must run before the access check can answer 401/403, so
  // refusals carry the security headers too. Still before any route: every route registered
  // from here on is checked for an access rule.
  installAccessControl(app, deps.auth, deps.cookies, deps.legalAccess);
  // Joined sockets' cap; sockets that have not joined get a far smaller one (flood-guard.ts).
  await app.register(websocket, { options: { maxPayload: JOINED_MAX_FRAME_BYTES } });

  app.get('/healthz', { config: {} }, async (_req, reply) =>
    deps.isHealthy() ? { status: 'ok' } : reply.status(503).send({ status: 'shutting-down' }),
  );
  await app.register(meetingRoutes, { meetings: deps.meetings, baseUrl: deps.baseUrl });
  await app.register(authRoutes, {
    auth: deps.auth,
    limiter: deps.loginLimiter,
    cookies: deps.cookies,
  });
  await app.register(adminUserRoutes, { admin: deps.admin });
  await app.register(adminAccountRoutes, { admin: deps.admin });
  await app.register(adminClusterRoutes, {
    nodes: deps.clusterNodes,
    operatorAccountId: () => deps.legalAccess.operatorAccountId(),
  });
  await app.register(myMeetingRoutes, {
    meetings: deps.meetings,
    myMeetings: deps.myMeetings,
    baseUrl: deps.baseUrl,
  });
  await app.register(legalPortalRoutes, {
    requesters: deps.legal.requesters,
    intake: deps.legal.intake,
    limiter: deps.loginLimiter,
    cookies: deps.cookies,
    maxDocumentBytes: deps.legal.maxDocumentBytes,
  });
  await app.register(legalReviewRoutes, { review: deps.legal.review });
  await app.register(legalStaffRoutes, { admin: deps.admin });
  await app.register(myNoticeRoutes, deps.userNotices);
  await app.register(transparencyRoutes, { transparency: deps.transparency });
  await app.register(recordingRoutes, { recordings: deps.recordings, key: deps.recordingKey });
  await app.register(async (scope) => deps.signaling.register(scope));
  if (!deps.trustProxy) deps.signaling.cutBlockedConnections(app.server);

  if (existsSync(join(deps.webRoot, 'index.html'))) {
    await app.register(fastifyStatic, {
      root: deps.webRoot,
      wildcard: false,
      index: ['index.html'],
    });
  } else {
    deps.logger.warn({ webRoot: deps.webRoot }, 'web app not built: run `npm run build:web`');
  }
  const hasShell = existsSync(join(deps.webRoot, 'index.html'));
  // Client-side routes (/m/:id, ...) get the app shell; API paths keep their JSON 404s.
  app.setNotFoundHandler((req, reply) => {
    if (
      hasShell &&
      req.method === 'GET' &&
      !req.url.startsWith('/api/') &&
      !req.url.startsWith('/ws')
    ) {
      return reply.sendFile('index.html');
    }
    return reply.status(404).send(new ConclaveError('NOT_FOUND').toBody());
  });
  return app;
}
