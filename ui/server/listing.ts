import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { flagNames, StaffIdSchema, stages, TeamIdSchema, type Actor } from '../../machines';
import { pathwayWorkflowId, workflowFlags } from '../../workflows/messages';
import * as SA from '../../workflows/search-attributes';
import { checkTeamFilter, quote, requireScope, scopeClauses } from './authorize';
import type { AccessLog } from './access-log';
import { citizenKey, CprSchema } from './cpr';
import { parse } from './errors';

/** A row of a visibility listing: what search attributes say, without asking the workflow. */
export function summary(wf: WorkflowExecutionInfo) {
  const sa = wf.typedSearchAttributes;
  return {
    pathwayId: wf.workflowId.replace(/^pathway-/, ''),
    // Decrypted by the client's codec; absent for pathways started without a name.
    citizenName: typeof wf.memo?.citizenName === 'string' ? wf.memo.citizenName : null,
    citizenRef: typeof wf.memo?.citizenRef === 'string' ? wf.memo.citizenRef : null,
    status: wf.status.name === 'RUNNING' ? 'open' : 'closed',
    stage: sa.get(SA.PathwayStage) ?? null,
    team: sa.get(SA.PathwayTeam) ?? null,
    coordinator: sa.get(SA.PathwayCoordinator) ?? null,
    stageEnteredAt: sa.get(SA.PathwayStageEnteredAt)?.getTime() ?? null,
    nextDeadline: sa.get(SA.PathwayNextDeadline)?.getTime() ?? null,
    /** Its kind (runs recorded before this attribute: null). */
    nextDeadlineKind: sa.get(SA.PathwayNextDeadlineKind) ?? null,
    flags: sa.get(SA.PathwayFlags) ?? [],
    facility: sa.get(SA.PathwayFacility) ?? null,
    /** A pending handoff: to which team, since when (runs recorded before these attributes: null). */
    handoffTo: sa.get(SA.PathwayHandoffTo) ?? null,
    handoffAt: sa.get(SA.PathwayHandoffAt)?.getTime() ?? null,
    startedAt: wf.startTime.getTime(),
  };
}
export type PathwaySummary = ReturnType<typeof summary>;

export async function list(client: Client, query: string): Promise<PathwaySummary[]> {
  const rows: PathwaySummary[] = [];
  for await (const wf of client.workflow.list({ query })) rows.push(summary(wf));
  return rows;
}

const ListQuerySchema = z.object({
  stage: z.enum(stages).optional(),
  team: TeamIdSchema.optional(),
  coordinator: StaffIdSchema.optional(),
  flag: z.enum([...flagNames, ...workflowFlags]).optional(),
  /** The start of a pathway reference. */
  q: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'letters, digits and "-" only').optional(),
  status: z.enum(['open', 'closed', 'all']).default('open'),
});

const CprSearchSchema = z.object({ cpr: CprSchema }).strict();

export interface ListingOptions {
  client: Client;
  actor: (request: FastifyRequest) => Actor;
  log: AccessLog;
  /** The key CPR numbers are hashed under; without it a search by CPR is refused. */
  cprHashKey?: Buffer;
}

/** What needs attention first: flagged, then the nearest deadline. */
const byAttention = (rows: PathwaySummary[]) => rows.sort((x, y) => y.flags.length - x.flags.length || (x.nextDeadline ?? Infinity) - (y.nextDeadline ?? Infinity));

/** The caseload: pathways from visibility, filtered, most in need of attention first; and a citizen's pathways found by CPR number. */
export function registerListing(app: FastifyInstance, { client, actor, log, cprHashKey }: ListingOptions) {
  app.get('/api/pathways', async (request) => {
    const a = actor(request);
    const f = parse(ListQuerySchema, request.query);
    checkTeamFilter(a, requireScope(a, 'case.list'), f.team);
    const clauses = [`WorkflowType = 'pathwayWorkflow'`];
    if (f.status !== 'all') clauses.push(`ExecutionStatus ${f.status === 'open' ? '=' : '!='} 'Running'`);
    if (f.stage) clauses.push(`PathwayStage = ${quote(f.stage)}`);
    if (f.team) clauses.push(`PathwayTeam = ${quote(f.team)}`);
    else clauses.push(...scopeClauses(a, 'case.list'));
    if (f.coordinator) clauses.push(`PathwayCoordinator = ${quote(f.coordinator)}`);
    if (f.flag) clauses.push(`PathwayFlags = ${quote(f.flag)}`);
    if (f.q) clauses.push(`WorkflowId STARTS_WITH ${quote(pathwayWorkflowId(f.q))}`);
    return byAttention(await list(client, clauses.join(' AND ')));
  });

  // A POST, so the number is in no URL (and so in no proxy or server log); the search is in the access log, the number is not.
  app.post('/api/pathways/search', async (request) => {
    const a = actor(request);
    const { cpr } = parse(CprSearchSchema, request.body);
    const clauses = [`WorkflowType = 'pathwayWorkflow'`, `PathwayCitizenKey = ${quote(citizenKey(cpr, cprHashKey))}`, ...scopeClauses(a, 'case.list')];
    const rows = byAttention(await list(client, clauses.join(' AND ')));
    // Finding a case is reaching it: one entry per pathway found, in each case's own log (or one saying none was).
    for (const r of rows.length > 0 ? rows : [null]) await log(request, a, { action: 'case.search', pathwayId: r?.pathwayId ?? null, outcome: r ? 'allowed' : 'not-found', details: { by: 'cpr' } });
    return rows;
  });
}
