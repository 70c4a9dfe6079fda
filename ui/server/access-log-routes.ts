import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { mayReach, OpaqueIdSchema, StaffIdSchema, type Actor } from '../../machines';
import { accessLogCsv, MAX_ACCESS_LOG_PAGE, pageAccessLog, verifyAccessLogChain, type AccessLogEntry, type Records } from '../../records';
import type { AccessLog } from './access-log';
import { requireScope } from './authorize';
import { OutOfScope, parse } from './errors';
import type { PathwayLookup } from './pathway-lookup';

/**
 * Reading the access log: a case's entries for its supervisors and the privacy officer (a page,
 * and a download in JSON or CSV for a citizen's access request, GDPR art. 15), the whole log and
 * its chain check for the privacy officer. Reading it is itself logged.
 */

const IdParams = z.object({ id: OpaqueIdSchema });
const PageQuery = z
  .object({ after: z.coerce.number().int().min(0).optional(), limit: z.coerce.number().int().min(1).max(MAX_ACCESS_LOG_PAGE).default(100) })
  .strict();
const LogQuery = PageQuery.extend({ actor: StaffIdSchema.optional() }).strict();

/** A page, and where the next starts (null at the end). */
const page = (entries: AccessLogEntry[], limit: number) => ({ entries, next: entries.length === limit ? entries.at(-1)!.id : null });

async function everything(records: Records, pathwayId: string): Promise<AccessLogEntry[]> {
  const all: AccessLogEntry[] = [];
  for (;;) {
    const batch = await pageAccessLog(records.db, { pathwayId, afterId: all.at(-1)?.id ?? 0, limit: MAX_ACCESS_LOG_PAGE });
    all.push(...batch);
    if (batch.length < MAX_ACCESS_LOG_PAGE) return all;
  }
}

export interface AccessLogRouteOptions {
  records: Records;
  actor: (request: FastifyRequest) => Actor;
  log: AccessLog;
  lookup: PathwayLookup;
}

export function registerAccessLogRoutes(app: FastifyInstance, o: AccessLogRouteOptions) {
  const { records, actor, log, lookup } = o;

  /** Lets the read through (and logs it) when the case's log is the asker's to read: a supervisor's own teams' cases, or any for the privacy officer. */
  async function reader(request: FastifyRequest, id: string, what: string): Promise<void> {
    const a = actor(request);
    if (requireScope(a, 'access-log.case') === 'teams') {
      const teams = await lookup.teamsOf(id, a);
      if (!teams || !mayReach(a, 'access-log.case', teams)) {
        await log(request, a, { action: what, pathwayId: id, outcome: teams ? 'refused' : 'not-found' });
        throw new OutOfScope();
      }
    }
    await log(request, a, { action: what, pathwayId: id, outcome: 'allowed' });
  }

  app.get('/api/pathways/:id/access-log', async (request) => {
    const { id } = parse(IdParams, request.params);
    const q = parse(PageQuery, request.query);
    await reader(request, id, 'access-log.read');
    return page(await pageAccessLog(records.db, { pathwayId: id, afterId: q.after ?? 0, limit: q.limit }), q.limit);
  });

  app.get('/api/pathways/:id/access-log.json', async (request, reply) => {
    const { id } = parse(IdParams, request.params);
    await reader(request, id, 'access-log.export');
    const entries = await everything(records, id);
    return reply.header('content-disposition', `attachment; filename="access-log-${id}.json"`).send({ pathwayId: id, entries });
  });

  app.get('/api/pathways/:id/access-log.csv', async (request, reply) => {
    const { id } = parse(IdParams, request.params);
    await reader(request, id, 'access-log.export');
    const entries = await everything(records, id);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="access-log-${id}.csv"`).send(accessLogCsv(entries));
  });

  app.get('/api/access-log', async (request) => {
    const a = actor(request);
    requireScope(a, 'access-log.all');
    const q = parse(LogQuery, request.query);
    await log(request, a, { action: 'access-log.read', outcome: 'allowed', details: q.actor ? { of: q.actor } : {} });
    return page(await pageAccessLog(records.db, { afterId: q.after ?? 0, limit: q.limit, ...(q.actor ? { actorId: q.actor } : {}) }), q.limit);
  });

  /** Walks the chain: `broken` names the first entry that does not follow from the one before. */
  app.get('/api/access-log/verify', async (request) => {
    requireScope(actor(request), 'access-log.all');
    return { broken: await verifyAccessLogChain(records.db) };
  });
}
