import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CitizenNameSchema, CitizenRefSchema, CommandSchema, OpaqueIdSchema, scopeOf, TeamIdSchema, trailFor, type Actor } from '../../machines';
import type { Records } from '../../records';
import { actUpdate, openUpdate, pathwayWorkflowId, type PathwayMemo } from '../../workflows/messages';
import type { pathwayWorkflow } from '../../workflows/pathway';
import { PathwayCitizenKey } from '../../workflows/search-attributes';
import { auditPage } from './audit-pages';
import { loggedRead, type AccessLog } from './access-log';
import { asHttpError, HttpError, isTransient, parse } from './errors';
import type { ApiMetrics } from './metrics';
import { citizenKey, CprSchema } from './cpr';
import { pathwayLookup } from './pathway-lookup';
import { checkNamed, namedIn, stampPartner } from './registry-checks';
import { VersionWatch } from './version-watch';

export interface PathwayRouteOptions {
  client: Client;
  taskQueue: string;
  /** The record store: the registry commands are checked against, the audit trail, and closed pathways once Temporal no longer has them. */
  records: Records;
  actor: (request: FastifyRequest) => Actor;
  log: AccessLog;
  /** The key a CPR number given at start is hashed under; without it one is refused. */
  cprHashKey?: Buffer;
  /** How long one call to Temporal may take before the API answers 503 (a worker away, say). */
  rpcTimeoutMs: number;
  /** How long `GET /api/pathways/:id?after=<version>` waits for a newer version. */
  waitMs: number;
  /** How often a waited-on pathway is looked at. */
  watchEveryMs: number;
  /** Counts each action by type and result, and each refusal by code. */
  metrics?: ApiMetrics;
}

const StartSchema = z
  .object({ citizenRef: CitizenRefSchema, citizenName: CitizenNameSchema.optional(), cpr: CprSchema.optional(), team: TeamIdSchema.optional() })
  .strict();
const EventRequestSchema = z
  .object({
    command: CommandSchema,
    expectedVersion: z.number().int().positive(),
    requestId: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'use 8-128 letters, digits, "_" or "-"'),
  })
  .strict();
const IdParams = z.object({ id: OpaqueIdSchema });
const WaitQuery = z.object({ after: z.coerce.number().int().min(0).optional() });
const AuditQuery = z
  .object({
    before: z.coerce.number().int().min(1).optional(),
    after: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(1000).optional(),
  })
  .strict()
  .refine((q) => q.before === undefined || q.after === undefined, { message: 'give before or after, not both', path: ['before'] });

/** Starting a pathway, reading it (or waiting for its next version), and acting on it; each read and action in the access log. */
export function registerPathwayRoutes(app: FastifyInstance, o: PathwayRouteOptions) {
  const { client, actor, log } = o;
  const { handle, timely, exists, current, acting, sealer } = pathwayLookup(o);
  const stored = { records: o.records, sealer };
  const watch = new VersionWatch(client, { everyMs: o.watchEveryMs, rpcTimeoutMs: o.rpcTimeoutMs });
  app.addHook('preClose', (done) => (watch.close(), done()));

  /** The view (or the closed pathway's record) and the newest page of its audit trail. */
  async function show(id: string, a: Actor) {
    const { view, record, held } = await current(id, a);
    const page = await auditPage(stored, id, held);
    return { view, ...(record ? { record } : {}), audit: trailFor(a, page.entries), auditOlder: page.older };
  }

  app.post('/api/pathways', async (request, reply) => {
    const a = actor(request);
    const body = parse(StartSchema, request.body);
    const team = body.team ?? a.teams[0];
    if (scopeOf(a, 'case.start') === null) throw new HttpError(403, 'forbidden', 'only coordinators and supervisors start pathways');
    if (!team || !a.teams.includes(team)) throw new HttpError(403, 'not-in-team', `you are not in team ${team ?? '(none)'}`, { team: team ?? '' });
    await checkNamed(o.records, { teams: [team] });
    const cprKey = body.cpr === undefined ? undefined : citizenKey(body.cpr, o.cprHashKey);
    // Opaque and unguessable: the id appears in URLs, logs and e-mails.
    const pathwayId = randomUUID();
    // Started with an Update that answers the first view: one round trip instead of start, then query.
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof pathwayWorkflow>('pathwayWorkflow', {
      taskQueue: o.taskQueue,
      workflowId: pathwayWorkflowId(pathwayId),
      args: [{ start: { pathwayId, citizenRef: body.citizenRef, ...(body.citizenName ? { citizenName: body.citizenName } : {}), team, by: a } }],
      // Name and reference ride in the memo (encrypted like every payload) so lists show and search them; never in ids or search attributes.
      memo: { citizenRef: body.citizenRef, ...(body.citizenName ? { citizenName: body.citizenName } : {}) } satisfies PathwayMemo,
      ...(cprKey ? { typedSearchAttributes: [{ key: PathwayCitizenKey, value: cprKey }] } : {}),
      workflowIdConflictPolicy: 'FAIL',
    });
    try {
      const view = await timely(() => client.workflow.executeUpdateWithStart(openUpdate, { args: [a], startWorkflowOperation }));
      await log(request, a, { action: 'case.start', pathwayId, outcome: 'allowed', details: { team } });
      return reply.status(201).send({ pathwayId, view });
    } catch (err) {
      // Started, but no worker answered in time: the pathway exists, so do not invite a retry that would start another.
      if (isTransient(err) && (await exists(pathwayId))) {
        await log(request, a, { action: 'case.start', pathwayId, outcome: 'allowed', details: { team } });
        return reply.status(202).send({ pathwayId, view: null });
      }
      throw err;
    }
  });

  /** With `?after=<version>`, answers once the version passes it, or after `waitMs` as it stands (a long poll). */
  app.get('/api/pathways/:id', async (request, reply) => {
    const a = actor(request);
    const { id } = parse(IdParams, request.params);
    const { after } = parse(WaitQuery, request.query);
    const answer = async () => {
      const now = await show(id, a);
      if (after === undefined || now.view === null || now.view.version > after) return now;
      const gone = new AbortController();
      reply.raw.on('close', () => gone.abort()); // the client left: stop waiting for it
      await watch.waitPast(pathwayWorkflowId(id), after, o.waitMs, gone.signal);
      return show(id, a);
    };
    // A long poll that timed out showed the version the reader had already seen (and was logged reading).
    return loggedRead(log, request, a, { action: 'case.read', pathwayId: id }, answer, (r) => after === undefined || r.view?.version !== after);
  });

  /** Pages of the audit trail: `before=<seq>` the newest entries before it, `after=<seq>` the oldest after it; oldest first within a page. */
  app.get('/api/pathways/:id/audit', async (request) => {
    const a = actor(request);
    const { id } = parse(IdParams, request.params);
    const q = parse(AuditQuery, request.query);
    return loggedRead(log, request, a, { action: 'audit.read', pathwayId: id, details: q }, async () => {
      const page = await auditPage(stored, id, (await current(id, a)).held, q);
      return { ...page, entries: trailFor(a, page.entries) };
    });
  });

  app.post('/api/pathways/:id/events', async (request) => {
    const a = actor(request);
    const { id } = parse(IdParams, request.params);
    const body = parse(EventRequestSchema, request.body);
    await checkNamed(o.records, namedIn(body.command));
    const command = await stampPartner(o.records, body.command);
    const logged = { action: 'case.act', pathwayId: id, details: { command: body.command.type, requestId: body.requestId } };
    try {
      // The sender and request id make the Update id: a retried click is answered, not applied again, and
      // another person's id is judged anew (the workflow refuses it) instead of answered with their view.
      const view = await acting(id, a, () =>
        handle(id).executeUpdate(actUpdate, {
          args: [{ requestId: body.requestId, expectedVersion: body.expectedVersion, actor: a, command }],
          updateId: `${a.id}:${body.requestId}`,
        }),
      );
      await log(request, a, { ...logged, outcome: 'allowed', details: { ...logged.details, version: view.version } });
      o.metrics?.applied(body.command.type);
      return { view };
    } catch (err) {
      const refused = asHttpError(err);
      o.metrics?.notApplied(body.command.type, refused);
      // Unknown is not-found; out of scope (the workflow's own 404) is a refusal like any other.
      const outcome = err instanceof WorkflowNotFoundError ? 'not-found' : 'refused';
      if (refused && refused.status < 500) await log(request, a, { ...logged, outcome, details: { ...logged.details, code: refused.code } });
      throw err;
    }
  });
}
