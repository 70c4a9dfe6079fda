import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { dayOfStay, stages, type Actor, type Flag } from '../../machines';
import type { WorkflowFlag } from '../../workflows/messages';
import { quote, scopeClauses } from './authorize';
import { list } from './listing';
import { boards } from './occupancy';

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
  'facility-unreachable': 'the care facility does not answer',
  'records-failing': 'the record store cannot be written',
  'extension-requested': 'extension waiting for a decision',
  'review-missed': 'a review of the recovery plan was missed',
  'yearly-review-due': 'the yearly review is due',
  'safety-review-due': 'the safety marker is due for review',
  'partner-overdue': 'a partner has not answered in the agreed time',
} satisfies Record<Exclude<Flag, 'handoff-pending' | 'hospital-admitted' | 'readmitted' | 'safety-marker'> | WorkflowFlag, string>;

/** What supervisors and team leaders look at: stuck cases and figures (the occupancy board is occupancy.ts). */
export function registerSupervision(app: FastifyInstance, client: Client, actor: (request: FastifyRequest) => Actor) {
  app.get('/api/stuck', async (request) => {
    const a = actor(request);
    const clauses = [
      `WorkflowType = 'pathwayWorkflow'`,
      `ExecutionStatus = 'Running'`,
      `PathwayFlags IN (${Object.keys(stuckReasons).map(quote).join(', ')})`,
      ...scopeClauses(a, 'case.list'),
    ];
    const rows = await list(client, clauses.join(' AND '));
    return rows
      .map((r) => ({ ...r, reasons: r.flags.flatMap((f) => (stuckReasons[f] ? [{ flag: f, reason: stuckReasons[f] }] : [])) }))
      .sort((x, y) => (x.stageEnteredAt ?? 0) - (y.stageEnteredAt ?? 0));
  });

  /** What a team leader looks at: the stage funnel, days in the current stage, stays against the limit. */
  app.get('/api/stats', async (request) => {
    const a = actor(request);
    const rows = await list(client, [`WorkflowType = 'pathwayWorkflow'`, ...scopeClauses(a, 'case.list')].join(' AND '));
    const now = Date.now();
    const funnel = stages.map((stage) => ({ stage, count: rows.filter((r) => r.stage === stage).length }));
    const daysInStage = stages
      .filter((s) => s !== 'closed')
      .map((stage) => {
        const days = rows.filter((r) => r.status === 'open' && r.stage === stage && r.stageEnteredAt).map((r) => (now - r.stageEnteredAt!) / 86_400_000);
        return { stage, count: days.length, averageDays: days.length ? days.reduce((x, y) => x + y, 0) / days.length : 0, maxDays: Math.max(0, ...days) };
      });
    const visible = new Set(rows.map((r) => r.pathwayId));
    const stays = (await boards(client)).flatMap((b) =>
      b.occupants
        .filter((o) => visible.has(o.pathwayId))
        .map((o) => ({ pathwayId: o.pathwayId, facilityId: b.facilityId, ...dayOfStay(o, now) })),
    );
    return { funnel, daysInStage, stays };
  });
}
