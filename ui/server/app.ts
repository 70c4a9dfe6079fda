import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Records } from '../../records';
import type { Account } from './accounts';
import { accessLog } from './access-log';
import { registerAccessLogRoutes } from './access-log-routes';
import { registerCodecRoutes } from './codec-routes';
import { errorHandler, notFoundHandler } from './errors';
import { registerCorrelation } from './correlation';
import { registerHardening } from './hardening';
import { registerHealth } from './health';
import { apiMetrics, registerMetrics } from './metrics';
import { registerDirectory } from './directory-routes';
import { registerInbox } from './inbox';
import { registerListing } from './listing';
import { correlationHeader, loggingOptions, type LogOptions } from './logging';
import { registerOccupancy } from './occupancy';
import { registerOidc, registerSignInMethods } from './oidc';
import type { OidcSettings } from './oidc-settings';
import { pathwayLookup } from './pathway-lookup';
import { registerPathwayRoutes } from './pathway-routes';
import { registerRegistryRoutes } from './registry-routes';
import { registerReportRoutes } from './report-routes';
import { endSession, registerSession, signInFailed, startSession } from './session';
import { registerSupervision } from './supervision';

export interface AppOptions {
  client: Client;
  taskQueue: string;
  /** The accounts, or a function giving the current ones (a file that may change). */
  accounts: Account[] | (() => Account[]);
  /** The record store: sessions, and the registry of teams and facilities that commands are checked against. */
  records: Records;
  /** Signs the session id in the cookie; a restart with a new secret signs everyone out. */
  sessionSecret: string;
  /** A session unused this long ends (default 30 minutes). */
  sessionIdleMinutes?: number;
  /** A session ends this long after sign-in (default 10 hours). */
  sessionMaxHours?: number;
  /**
   * Which proxies' X-Forwarded-* headers count (client address, protocol, host): none by
   * default; a hop count, or addresses and CIDR ranges (TRUST_PROXY).
   */
  trustProxy?: number | string[];
  /** Sign-in through the organisation's OpenID provider, besides local accounts. */
  oidc?: OidcSettings;
  /** Structured request logs (pino JSON lines, secrets and bodies left out); off by default. */
  logger?: LogOptions | false;
  /** The built web UI (ui/web/dist), served at /. */
  webRoot?: string;
  /** How long one call to Temporal may take before the answer is 503 with Retry-After (default 10 s). */
  rpcTimeoutMs?: number;
  /** How long a client may wait for a pathway's next version (default 25 s, under common proxy timeouts). */
  waitMs?: number;
  /** How often a waited-on pathway is looked at (default 1 s). */
  watchEveryMs?: number;
  /** The key CPR numbers are hashed under (ui/server/cpr.ts); without it a CPR number is refused. */
  cprHashKey?: Buffer;
  /** Origins (the Temporal Web UI's) allowed to call /api/codec cross-origin with the session cookie. */
  codecOrigins?: string[];
  /** Asked of Prometheus at GET /metrics as `Authorization: Bearer <token>` (METRICS_TOKEN); without it /metrics is open. */
  metricsToken?: string;
}

/** A hop count trusts that many proxies nearest the server (what Fastify does with a number; its types lack it). */
const trustProxy = (t: AppOptions['trustProxy']) => (typeof t === 'number' ? (_address: string, hop: number) => hop < t : (t ?? false));

export const BODY_LIMIT = 16 * 1024;

/** The HTTP API: sign-in, pathways, events, stuck cases, facilities. */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  // 16 KiB is ample for every request the API takes; larger bodies are refused before parsing.
  const app = Fastify({ ...loggingOptions(o.logger), trustProxy: trustProxy(o.trustProxy), bodyLimit: BODY_LIMIT });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('onSend', correlationHeader);
  registerCorrelation(app);
  const metrics = apiMetrics(o.client);
  registerMetrics(app, metrics, o.metricsToken);
  registerHealth(app, { client: o.client, records: o.records, taskQueue: o.taskQueue });
  await registerHardening(app, { codecOrigins: o.codecOrigins ?? [] });
  await app.register(cookie, { secret: o.sessionSecret });
  if (o.webRoot) await app.register(fastifyStatic, { root: o.webRoot, index: 'index.html' });

  const log = accessLog(o.records);
  const actor = await registerSession(app, { ...o, log });
  registerSignInMethods(app, o.oidc);
  if (o.oidc) registerOidc(app, { settings: o.oidc, startSession, endSession, signInFailed });
  const rpcTimeoutMs = o.rpcTimeoutMs ?? 10_000;
  registerPathwayRoutes(app, {
    client: o.client,
    taskQueue: o.taskQueue,
    records: o.records,
    actor,
    log,
    ...(o.cprHashKey ? { cprHashKey: o.cprHashKey } : {}),
    rpcTimeoutMs,
    waitMs: o.waitMs ?? 25_000,
    watchEveryMs: o.watchEveryMs ?? 1_000,
    metrics,
  });
  registerAccessLogRoutes(app, { records: o.records, actor, log, lookup: pathwayLookup({ client: o.client, records: o.records, rpcTimeoutMs }) });
  registerInbox(app, o.client, actor);
  registerDirectory(app, { records: o.records, accounts: o.accounts, actor });
  registerListing(app, { client: o.client, actor, log, ...(o.cprHashKey ? { cprHashKey: o.cprHashKey } : {}) });
  registerSupervision(app, o.client, actor);
  registerOccupancy(app, o.client, actor);
  registerCodecRoutes(app, { client: o.client, actor, log, ...(o.codecOrigins ? { origins: o.codecOrigins } : {}) });
  registerRegistryRoutes(app, { client: o.client, records: o.records, actor, log });
  registerReportRoutes(app, { records: o.records, actor });
  return app;
}
