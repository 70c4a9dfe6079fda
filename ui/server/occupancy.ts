import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { occupancyOf, type Actor, type OccupancyBoard } from '../../machines';
import { csv } from '../../records/csv';
import { boardQuery, type FacilityBoard } from '../../workflows/facility-messages';
import { requireScope, scopeClauses } from './authorize';
import { list } from './listing';

/** Every running facility's board, as its workflow shows it now. */
export async function boards(client: Client): Promise<FacilityBoard[]> {
  const found: FacilityBoard[] = [];
  for await (const wf of client.workflow.list({ query: `WorkflowType = 'facilityWorkflow' AND ExecutionStatus = 'Running'` })) {
    found.push(await client.workflow.getHandle(wf.workflowId).query(boardQuery, Date.now()));
  }
  return found.sort((x, y) => x.facilityId.localeCompare(y.facilityId));
}

/** The boards for `a`: the citizens of pathways in their scope by name and coordinator, the others without id, name or priority. */
async function occupancy(client: Client, a: Actor): Promise<OccupancyBoard[]> {
  const clauses = [`WorkflowType = 'pathwayWorkflow'`, `ExecutionStatus = 'Running'`, ...scopeClauses(a, 'facility.board')];
  const readable = new Map((await list(client, clauses.join(' AND '))).map((r) => [r.pathwayId, { citizenName: r.citizenName, coordinator: r.coordinator }]));
  return (await boards(client)).map((b) => occupancyOf(b, (id) => readable.get(id)));
}

const day = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : '');

/** One line per place and per waiting citizen, for the handover meeting. */
function occupancyCsv(boards: OccupancyBoard[]): string {
  const rows = boards.flatMap((b) => [
    ...b.occupants.map((o) => [b.facilityId, 'place', o.pathwayId ?? '', o.pathwayId ? (o.citizenName ?? '') : '', o.pathwayId ? (o.coordinator ?? '') : '', `${o.day}/${o.limitDay}`, day(o.endsAt), '']),
    ...b.waitlist.map((w, i) => [b.facilityId, `waitlist ${i + 1}`, w.pathwayId ?? '', w.pathwayId ? (w.citizenName ?? '') : '', w.pathwayId ? (w.coordinator ?? '') : '', '', '', day(w.projectedAt)]),
  ]);
  return csv(['facility', 'row', 'pathway', 'citizen', 'coordinator', 'day of stay', 'planned discharge', 'projected place'], rows);
}

/** The occupancy board, and the same as CSV. */
export function registerOccupancy(app: FastifyInstance, client: Client, actor: (request: FastifyRequest) => Actor) {
  app.get('/api/facilities', async (request) => {
    const a = actor(request);
    requireScope(a, 'facility.board');
    return occupancy(client, a);
  });

  app.get('/api/facilities.csv', async (request, reply) => {
    const a = actor(request);
    requireScope(a, 'facility.board');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="occupancy-${day(Date.now())}.csv"`)
      .send(occupancyCsv(await occupancy(client, a)));
  });
}
