import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { HttpError } from './errors';
import { list } from './listing';
import { boards } from './occupancy';

/**
 * The API's Prometheus metrics (prom-client): actions by type and result, refusals by code,
 * HTTP latency by route pattern (never a path with an id in it), and, read from Temporal at
 * each scrape, pathways by flag and each facility's places. Counts and ids of teams and
 * facilities only: no citizen is named. The worker's own metrics are the SDK runtime's
 * (WORKER_METRICS_ADDRESS), with the notices sent and failed among them.
 */
export function apiMetrics(client: Client) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const actions = new Counter({ name: 'pathway_actions_total', help: 'Actions sent to pathways, by command type and result', labelNames: ['type', 'result'] as const, registers: [registry] });
  const refusals = new Counter({ name: 'pathway_refusals_total', help: 'Refused actions, by the code the client got', labelNames: ['code'] as const, registers: [registry] });
  const latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP answers, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'pathways_flagged',
    help: 'Running pathways by flag (the stuck cases by reason among them)',
    labelNames: ['flag'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await list(client, `WorkflowType = 'pathwayWorkflow' AND ExecutionStatus = 'Running' AND PathwayFlags IS NOT NULL`).catch(() => []);
      const counts = new Map<string, number>();
      for (const r of rows) for (const f of r.flags) counts.set(f, (counts.get(f) ?? 0) + 1);
      for (const [flag, n] of counts) this.set({ flag }, n);
    },
  });
  new Gauge({
    name: 'facility_places',
    help: 'Each facility’s places: capacity, occupied, and citizens waiting',
    labelNames: ['facility', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const b of await boards(client).catch(() => [])) {
        this.set({ facility: b.facilityId, state: 'capacity' }, b.capacity);
        this.set({ facility: b.facilityId, state: 'occupied' }, b.occupants.length);
        this.set({ facility: b.facilityId, state: 'waiting' }, b.waitlist.length);
      }
    },
  });
  return {
    registry,
    applied: (type: string) => actions.inc({ type, result: 'applied' }),
    /** An action not applied: refused with the code the client got, or failed (a 5xx, or an error with no answer of its own). */
    notApplied(type: string, error: HttpError | undefined) {
      const refused = error !== undefined && error.status < 500;
      actions.inc({ type, result: refused ? 'refused' : 'failed' });
      if (refused) refusals.inc({ code: error.code });
    },
    answered: (method: string, route: string, status: number, seconds: number) => latency.observe({ method, route, status: String(status) }, seconds),
  };
}
export type ApiMetrics = ReturnType<typeof apiMetrics>;

/** `GET /metrics` (with `token`, only for `Authorization: Bearer <token>`), and the timing of every answer. */
export function registerMetrics(app: FastifyInstance, metrics: ApiMetrics, token?: string) {
  app.addHook('onResponse', async (request, reply) => {
    // The route's pattern (`/api/pathways/:id`), so no id reaches a label; unmatched requests share one.
    metrics.answered(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (request, reply) => {
    if (token && request.headers.authorization !== `Bearer ${token}`) throw new HttpError(401, 'not-signed-in', 'metrics need the bearer token');
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
