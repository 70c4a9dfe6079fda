import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CommandSchema, OpaqueIdSchema, TeamIdSchema, type Actor, type PathwayView } from '../../machines';
import { getPathwayRecord, type PathwayRecord, type Records } from '../../records';
import { actUpdate, auditQuery, openUpdate, pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import type { pathwayWorkflow } from '../../workflows/pathway';
import { auditPage } from './audit-pages';
import { HttpError, isTransient, parse } from './errors';
import { checkNamed, namedIn } from './registry-checks';
import { VersionWatch } from './version-watch';

export interface PathwayRouteOptions {
  client: Client;
  taskQueue: string;
  /** The record store: the registry commands are checked against, the audit trail, and closed pathways once Temporal no longer has them. */
  records: Records;
  actor: (request: FastifyRequest) => Actor;
  /** How long one call to Temporal may take before the API answers 503 (a worker away, say). */
  rpcTimeoutMs: number;
  /** How long `GET /api/pathways/:id?after=<version>` waits for a newer version. */
  waitMs: number;
  /** How often a waited-on pathway is looked at. */
  watchEveryMs: number;
}

const StartSchema = z.object({ citizenRef: OpaqueIdSchema, team: TeamIdSchema.optional() }).strict();
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

/** Coordinators see the pathways their teams hold or are asked to take; supervisors and admins all. */
function mayView(a: Actor, view: Pick<PathwayView, 'responsibleTeam' | 'handoff'>): boolean {
  if (a.role !== 'coordinator') return true;
  return a.teams.includes(view.responsibleTeam) || (view.handoff !== null && a.teams.includes(view.handoff.toTeam));
}

/** Starting a pathway, reading it (or waiting for its next version), and acting on it. */
export function registerPathwayRoutes(app: FastifyInstance, o: PathwayRouteOptions) {
  const { client, actor } = o;
  const handle = (id: string) => client.workflow.getHandle<typeof pathwayWorkflow>(pathwayWorkflowId(id));
  const timely = <T>(fn: () => Promise<T>) => client.withDeadline(Date.now() + o.rpcTimeoutMs, fn);
  const watch = new VersionWatch(client, { everyMs: o.watchEveryMs, rpcTimeoutMs: o.rpcTimeoutMs });
  app.addHook('preClose', (done) => (watch.close(), done()));

  const exists = (id: string) =>
    timely(() => handle(id).describe()).then(
      () => true,
      (err) => (err instanceof WorkflowNotFoundError ? false : Promise.reject(err)),
    );

  /** A closed pathway's record, once Temporal no longer has its run (retention); null if there is none. */
  const recordOf = async (id: string): Promise<PathwayRecord | null> => getPathwayRecord(o.records.db, id);
  const closedOnRecord = async (id: string) => (await recordOf(id))?.closedAt != null;

  /** The SDK says "not found" for a workflow that has completed or is gone: tell a closed pathway from an unknown one. */
  async function acting<T>(id: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await timely(fn);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError && ((await exists(id)) || (await closedOnRecord(id)))) {
        throw new HttpError(409, 'pathway-closed', 'the pathway is closed: nothing more can be done on it');
      }
      throw err;
    }
  }

  /** The pathway as its workflow shows it, or, for a closed one Temporal no longer has, its record (read-only: `view` null). */
  async function current(id: string, a: Actor) {
    const h = handle(id);
    try {
      const view = await timely(() => h.query(viewQuery, a, Date.now()));
      if (!mayView(a, view)) throw new HttpError(403, 'forbidden', 'this pathway belongs to another team');
      return { view, record: null, held: await timely(() => h.query(auditQuery)) };
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const record = await recordOf(id);
      if (!record) throw err;
      if (a.role === 'coordinator' && !a.teams.includes(record.team)) throw new HttpError(403, 'forbidden', 'this pathway belongs to another team');
      return { view: null, record, held: [] };
    }
  }

  /** The view (or the closed pathway's record) and the newest page of its audit trail. */
  async function show(id: string, a: Actor) {
    const { view, record, held } = await current(id, a);
    const page = await auditPage(o.records, id, held);
    return { view, ...(record ? { record } : {}), audit: page.entries, auditOlder: page.older };
  }

  app.post('/api/pathways', async (request, reply) => {
    const a = actor(request);
    const body = parse(StartSchema, request.body);
    const team = body.team ?? a.teams[0];
    if (a.role !== 'coordinator' && a.role !== 'supervisor') throw new HttpError(403, 'forbidden', 'only coordinators and supervisors start pathways');
    if (!team || !a.teams.includes(team)) throw new HttpError(403, 'not-in-team', `you are not in team ${team ?? '(none)'}`, { team: team ?? '' });
    await checkNamed(o.records, { teams: [team] });
    // Opaque and unguessable: the id appears in URLs, logs and e-mails.
    const pathwayId = randomUUID();
    // Started with an Update that answers the first view: one round trip instead of start, then query.
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof pathwayWorkflow>('pathwayWorkflow', {
      taskQueue: o.taskQueue,
      workflowId: pathwayWorkflowId(pathwayId),
      args: [{ start: { pathwayId, citizenRef: body.citizenRef, team, by: a } }],
      workflowIdConflictPolicy: 'FAIL',
    });
    try {
      const view = await timely(() => client.workflow.executeUpdateWithStart(openUpdate, { args: [a], startWorkflowOperation }));
      return reply.status(201).send({ pathwayId, view });
    } catch (err) {
      // Started, but no worker answered in time: the pathway exists, so do not invite a retry that would start another.
      if (isTransient(err) && (await exists(pathwayId))) return reply.status(202).send({ pathwayId, view: null });
      throw err;
    }
  });

  /** With `?after=<version>`, answers once the version passes it, or after `waitMs` as it stands (a long poll). */
  app.get('/api/pathways/:id', async (request, reply) => {
    const a = actor(request);
    const { id } = parse(IdParams, request.params);
    const { after } = parse(WaitQuery, request.query);
    const now = await show(id, a);
    if (after === undefined || now.view === null || now.view.version > after) return now;
    const gone = new AbortController();
    reply.raw.on('close', () => gone.abort()); // the client left: stop waiting for it
    await watch.waitPast(pathwayWorkflowId(id), after, o.waitMs, gone.signal);
    return show(id, a);
  });

  /** Pages of the audit trail: `before=<seq>` the newest entries before it, `after=<seq>` the oldest after it; oldest first within a page. */
  app.get('/api/pathways/:id/audit', async (request) => {
    const a = actor(request);
    const { id } = parse(IdParams, request.params);
    const q = parse(AuditQuery, request.query);
    const { held } = await current(id, a);
    return auditPage(o.records, id, held, q);
  });

  app.post('/api/pathways/:id/events', async (request) => {
    const a = actor(request);
    const { id } = parse(IdParams, request.params);
    const body = parse(EventRequestSchema, request.body);
    await checkNamed(o.records, namedIn(body.command));
    // The request id doubles as the Update id: a retried click is answered, not applied again.
    const view = await acting(id, () =>
      handle(id).executeUpdate(actUpdate, {
        args: [{ requestId: body.requestId, expectedVersion: body.expectedVersion, actor: a, command: body.command }],
        updateId: body.requestId,
      }),
    );
    return { view };
  });
}
