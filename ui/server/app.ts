import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { Client } from '@temporalio/client';
import type { Records } from '../../records';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Account } from './accounts';
import { errorHandler, notFoundHandler } from './errors';
import { registerListing } from './listing';
import { correlationHeader, loggingOptions, type LogOptions } from './logging';
import { registerPathwayRoutes } from './pathway-routes';
import { registerSession } from './session';
import { registerSupervision } from './supervision';

export interface AppOptions {
  client: Client;
  taskQueue: string;
  /** The accounts, or a function giving the current ones (a file that may change). */
  accounts: Account[] | (() => Account[]);
  /** Signs session cookies; a restart with a new secret signs everyone out. */
  sessionSecret: string;
  sessionHours?: number;
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
  /** The record store: audit trails and closed pathways (without it, only what Temporal still has). */
  records?: Records;
}

/** The HTTP API: sign-in, pathways, events, stuck cases, facilities. */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ ...loggingOptions(o.logger), trustProxy: true });
  await app.register(cookie, { secret: o.sessionSecret });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('onSend', correlationHeader);
  if (o.webRoot) await app.register(fastifyStatic, { root: o.webRoot, index: 'index.html' });

  const actor = registerSession(app, o);
  registerPathwayRoutes(app, {
    client: o.client,
    taskQueue: o.taskQueue,
    actor,
    rpcTimeoutMs: o.rpcTimeoutMs ?? 10_000,
    waitMs: o.waitMs ?? 25_000,
    watchEveryMs: o.watchEveryMs ?? 1_000,
    ...(o.records ? { records: o.records } : {}),
  });
  registerListing(app, o.client, actor);
  registerSupervision(app, o.client, actor);
  return app;
}
