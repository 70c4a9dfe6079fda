import { randomBytes, randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  CommandSchema,
  flagNames,
  OpaqueIdSchema,
  StaffIdSchema,
  stages,
  TeamIdSchema,
  type Actor,
  type PathwayView,
} from '../../machines';
import { boardQuery, type FacilityBoard } from '../../workflows/facility-messages';
import { actUpdate, auditQuery, pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import type { pathwayWorkflow } from '../../workflows/pathway';
import * as SA from '../../workflows/search-attributes';
import { actorOf, type Account } from './accounts';
import { errorHandler, HttpError, parse } from './errors';
import { verifyPassword } from './passwords';

export interface AppOptions {
  client: Client;
  taskQueue: string;
  /** The accounts, or a function giving the current ones (a file that may change). */
  accounts: Account[] | (() => Account[]);
  /** Signs session cookies; a restart with a new secret signs everyone out. */
  sessionSecret: string;
  sessionHours?: number;
  logger?: boolean;
  /** The built web UI (ui/web/dist), served at /. */
  webRoot?: string;
}

const SESSION = 'session';

/** Flags that make a case "stuck", with the reason a supervisor reads. */
export const stuckReasons: Record<string, string> = {
  'handoff-overdue': 'handoff not accepted in time',
  overdue: 'overdue in its stage',
  'no-contact': 'no contact logged for too long',
  'stay-limit-exceeded': 'stay past the limit',
  'stay-limit-near': 'stay near the limit',
  'discharge-planning-late': 'discharge planning not started',
  'hold-expired': 'hospital hold expired',
  'notice-failing': 'reminders cannot be delivered',
  'extension-requested': 'extension waiting for a decision',
};

const ListQuerySchema = z.object({
  stage: z.enum(stages).optional(),
  team: TeamIdSchema.optional(),
  coordinator: StaffIdSchema.optional(),
  flag: z.enum([...flagNames, 'notice-failing']).optional(),
  /** The start of a pathway reference. */
  q: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'letters, digits and "-" only').optional(),
  status: z.enum(['open', 'closed', 'all']).default('open'),
});

const StartSchema = z.object({ citizenRef: OpaqueIdSchema, team: TeamIdSchema.optional() }).strict();
const EventRequestSchema = z
  .object({
    command: CommandSchema,
    expectedVersion: z.number().int().positive(),
    requestId: z.string().regex(/^[A-Za-z0-9_-]{8,128}$/, 'use 8-128 letters, digits, "_" or "-"'),
  })
  .strict();
const SignInSchema = z.object({ id: StaffIdSchema, password: z.string().min(1).max(1000) }).strict();
const IdParams = z.object({ id: OpaqueIdSchema });

/** A row of a visibility listing: what search attributes say, without asking the workflow. */
export function summary(wf: WorkflowExecutionInfo) {
  const sa = wf.typedSearchAttributes;
  return {
    pathwayId: wf.workflowId.replace(/^pathway-/, ''),
    status: wf.status.name === 'RUNNING' ? 'open' : 'closed',
    stage: sa.get(SA.PathwayStage) ?? null,
    team: sa.get(SA.PathwayTeam) ?? null,
    coordinator: sa.get(SA.PathwayCoordinator) ?? null,
    stageEnteredAt: sa.get(SA.PathwayStageEnteredAt)?.getTime() ?? null,
    nextDeadline: sa.get(SA.PathwayNextDeadline)?.getTime() ?? null,
    flags: sa.get(SA.PathwayFlags) ?? [],
    facility: sa.get(SA.PathwayFacility) ?? null,
    startedAt: wf.startTime.getTime(),
  };
}
export type PathwaySummary = ReturnType<typeof summary>;

const quote = (s: string) => `'${s}'`; // values are validated opaque ids: no quote can appear in them

/** Coordinators' listings cover their own teams ('-' keeps the clause valid for a team-less account). */
const teamScope = (a: Actor) => (a.role === 'coordinator' ? [`PathwayTeam IN (${[...a.teams, '-'].map(quote).join(', ')})`] : []);

/** The HTTP API: sign-in, pathways, events, stuck cases, facilities. */
export async function buildApp(o: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: o.logger ?? false, trustProxy: true });
  await app.register(cookie, { secret: o.sessionSecret });
  app.setErrorHandler(errorHandler);
  if (o.webRoot) await app.register(fastifyStatic, { root: o.webRoot, index: 'index.html' });
  const accounts = o.accounts;
  const find = (id: string) => (typeof accounts === 'function' ? accounts() : accounts).find((a) => a.id === id);
  const sessionMs = (o.sessionHours ?? 10) * 3_600_000;

  function signedIn(request: FastifyRequest): Account {
    const raw = request.cookies[SESSION];
    const unsigned = raw ? request.unsignCookie(raw) : undefined;
    if (!unsigned?.valid || !unsigned.value) throw new HttpError(401, 'sign in first');
    const [id, expires] = unsigned.value.split('|');
    const account = id ? find(id) : undefined;
    if (!account || Number(expires) < Date.now()) throw new HttpError(401, 'your session has ended: sign in again');
    return account;
  }
  const actor = (request: FastifyRequest): Actor => actorOf(signedIn(request));
  const handle = (id: string) => o.client.workflow.getHandle<typeof pathwayWorkflow>(pathwayWorkflowId(id));

  /** Coordinators see the pathways their teams hold or are asked to take; supervisors and admins all. */
  function mayView(a: Actor, view: Pick<PathwayView, 'responsibleTeam' | 'handoff'>): boolean {
    if (a.role !== 'coordinator') return true;
    return a.teams.includes(view.responsibleTeam) || (view.handoff !== null && a.teams.includes(view.handoff.toTeam));
  }

  async function list(query: string): Promise<PathwaySummary[]> {
    const rows: PathwaySummary[] = [];
    for await (const wf of o.client.workflow.list({ query })) rows.push(summary(wf));
    return rows;
  }

  // --- session ------------------------------------------------------------------------------
  app.post('/api/session', async (request, reply) => {
    const { id, password } = parse(SignInSchema, request.body);
    const account = find(id);
    // Verify against a dummy hash for unknown ids too, so timing does not tell which ids exist.
    const ok = await verifyPassword(password, account?.passwordHash ?? DUMMY_HASH);
    if (!account || !ok) throw new HttpError(401, 'unknown id or wrong password');
    reply.setCookie(SESSION, `${account.id}|${Date.now() + sessionMs}`, {
      signed: true,
      httpOnly: true,
      sameSite: 'strict',
      secure: 'auto',
      path: '/',
      maxAge: sessionMs / 1000,
    });
    return me(account);
  });
  app.get('/api/session', async (request) => me(signedIn(request)));
  app.delete('/api/session', async (_request, reply) => {
    reply.clearCookie(SESSION, { path: '/' });
    return { signedOut: true };
  });

  // --- pathways -----------------------------------------------------------------------------
  app.post('/api/pathways', async (request, reply) => {
    const a = actor(request);
    const body = parse(StartSchema, request.body);
    const team = body.team ?? a.teams[0];
    if (a.role !== 'coordinator' && a.role !== 'supervisor') throw new HttpError(403, 'only coordinators and supervisors start pathways');
    if (!team || !a.teams.includes(team)) throw new HttpError(403, `you are not in team ${team ?? '(none)'}`);
    // Opaque and unguessable: the id appears in URLs, logs and e-mails.
    const pathwayId = randomUUID();
    const h = await o.client.workflow.start<typeof pathwayWorkflow>('pathwayWorkflow', {
      taskQueue: o.taskQueue,
      workflowId: pathwayWorkflowId(pathwayId),
      args: [{ start: { pathwayId, citizenRef: body.citizenRef, team, by: a } }],
    });
    const view = await h.query(viewQuery, a);
    return reply.status(201).send({ pathwayId, view });
  });

  app.get('/api/pathways', async (request) => {
    const a = actor(request);
    const f = parse(ListQuerySchema, request.query);
    if (f.team && a.role === 'coordinator' && !a.teams.includes(f.team)) throw new HttpError(403, `you are not in team ${f.team}`);
    const clauses = [`WorkflowType = 'pathwayWorkflow'`];
    if (f.status !== 'all') clauses.push(`ExecutionStatus ${f.status === 'open' ? '=' : '!='} 'Running'`);
    if (f.stage) clauses.push(`PathwayStage = ${quote(f.stage)}`);
    if (f.team) clauses.push(`PathwayTeam = ${quote(f.team)}`);
    else clauses.push(...teamScope(a));
    if (f.coordinator) clauses.push(`PathwayCoordinator = ${quote(f.coordinator)}`);
    if (f.flag) clauses.push(`PathwayFlags = ${quote(f.flag)}`);
    if (f.q) clauses.push(`WorkflowId STARTS_WITH ${quote(pathwayWorkflowId(f.q))}`);
    const rows = await list(clauses.join(' AND '));
    // What needs attention first: flagged, then the nearest deadline.
    return rows.sort((x, y) => y.flags.length - x.flags.length || (x.nextDeadline ?? Infinity) - (y.nextDeadline ?? Infinity));
  });

  app.get('/api/pathways/:id', async (request) => {
    const a = actor(request);
    const { id } = parse(IdParams, request.params);
    const h = handle(id);
    const view = await h.query(viewQuery, a);
    if (!mayView(a, view)) throw new HttpError(403, 'this pathway belongs to another team');
    return { view, audit: await h.query(auditQuery) };
  });

  app.post('/api/pathways/:id/events', async (request) => {
    const a = actor(request);
    const { id } = parse(IdParams, request.params);
    const body = parse(EventRequestSchema, request.body);
    // The request id doubles as the Update id: a retried click is answered, not applied again.
    const view = await handle(id).executeUpdate(actUpdate, {
      args: [{ requestId: body.requestId, expectedVersion: body.expectedVersion, actor: a, command: body.command }],
      updateId: body.requestId,
    });
    return { view };
  });

  // --- supervision ----------------------------------------------------------------------------
  app.get('/api/stuck', async (request) => {
    const a = actor(request);
    const clauses = [
      `WorkflowType = 'pathwayWorkflow'`,
      `ExecutionStatus = 'Running'`,
      `PathwayFlags IN (${Object.keys(stuckReasons).map(quote).join(', ')})`,
      ...teamScope(a),
    ];
    const rows = await list(clauses.join(' AND '));
    return rows
      .map((r) => ({ ...r, reasons: r.flags.flatMap((f) => (stuckReasons[f] ? [{ flag: f, reason: stuckReasons[f] }] : [])) }))
      .sort((x, y) => (x.stageEnteredAt ?? 0) - (y.stageEnteredAt ?? 0));
  });

  async function boards(): Promise<FacilityBoard[]> {
    const found: FacilityBoard[] = [];
    for await (const wf of o.client.workflow.list({ query: `WorkflowType = 'facilityWorkflow' AND ExecutionStatus = 'Running'` })) {
      found.push(await o.client.workflow.getHandle(wf.workflowId).query(boardQuery));
    }
    return found.sort((x, y) => x.facilityId.localeCompare(y.facilityId));
  }

  app.get('/api/facilities', async (request) => {
    actor(request);
    return boards();
  });

  /** What a team leader looks at: the stage funnel, days in the current stage, stays against the limit. */
  app.get('/api/stats', async (request) => {
    const a = actor(request);
    const rows = await list([`WorkflowType = 'pathwayWorkflow'`, ...teamScope(a)].join(' AND '));
    const now = Date.now();
    const funnel = stages.map((stage) => ({ stage, count: rows.filter((r) => r.stage === stage).length }));
    const daysInStage = stages
      .filter((s) => s !== 'closed')
      .map((stage) => {
        const days = rows.filter((r) => r.status === 'open' && r.stage === stage && r.stageEnteredAt).map((r) => (now - r.stageEnteredAt!) / 86_400_000);
        return { stage, count: days.length, averageDays: days.length ? days.reduce((x, y) => x + y, 0) / days.length : 0, maxDays: Math.max(0, ...days) };
      });
    const visible = new Set(rows.map((r) => r.pathwayId));
    const stays = (await boards()).flatMap((b) =>
      b.occupants
        .filter((o) => visible.has(o.pathwayId))
        .map((o) => ({ pathwayId: o.pathwayId, facilityId: b.facilityId, day: Math.floor((now - o.since) / 86_400_000) + 1, limitDay: Math.round((o.endsAt - o.since) / 86_400_000) })),
    );
    return { funnel, daysInStage, stays };
  });

  return app;
}

const me = (a: Account) => ({ id: a.id, name: a.name, role: a.role, teams: a.teams, language: a.language ?? null });

/** A valid hash of a random password, to spend the same time on unknown ids. */
const DUMMY_HASH = `scrypt$16384$8$1$${randomBytes(16).toString('base64')}$${randomBytes(32).toString('base64')}`;
