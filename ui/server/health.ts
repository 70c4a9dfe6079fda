import type { Client } from '@temporalio/client';
// A CommonJS package: its default export, as codec/aes-codec.ts takes it.
import proto from '@temporalio/proto';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Records } from '../../records';

/** A poller seen this recently counts as a worker polling (a long poll lasts about a minute). */
const POLLED_WITHIN_MS = 90_000;

type Check = () => Promise<string | null>;

/** Runs `check` within `ms`: its problem, or null when all is well. */
async function within(ms: number, check: Check): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => (timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms)));
  try {
    return await Promise.race([check().catch((err: Error) => err.message || String(err)), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `GET /healthz`: the process is alive (200, nothing checked). `GET /readyz`: it can serve:
 * Temporal answers, the record store answers, and a worker polls the task queue (of any
 * process: the API and its workers may run apart). 503 names what is not ready. Neither needs
 * a session, and neither says anything about a pathway.
 */
export function registerHealth(app: FastifyInstance, o: { client: Client; records: Records; taskQueue: string; timeoutMs?: number }) {
  const ms = o.timeoutMs ?? 3_000;
  const checks: Record<'temporal' | 'database' | 'worker', Check> = {
    temporal: async () => (await o.client.workflowService.getSystemInfo({}), null),
    database: async () => (await sql`select 1`.execute(o.records.db), null),
    worker: async () => {
      const { pollers } = await o.client.workflowService.describeTaskQueue({
        namespace: o.client.options.namespace,
        taskQueue: { name: o.taskQueue },
        taskQueueType: proto.temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      });
      const seen = (pollers ?? []).map((p) => Number(p.lastAccessTime?.seconds ?? 0) * 1000);
      return seen.some((at) => Date.now() - at < POLLED_WITHIN_MS) ? null : `no worker polls task queue ${o.taskQueue}`;
    },
  };

  app.get('/healthz', async () => ({ status: 'alive' }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => [name, (await within(ms, check)) ?? 'ok'] as const));
    const ready = results.every(([, r]) => r === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks: Object.fromEntries(results) });
  });
}
