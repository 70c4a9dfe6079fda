import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { LogEntry, Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientDataConverter } from '../../codec/data-converter';
import { buildApp } from '../../ui/server/app';
import { correlationClientInterceptor } from '../../ui/server/correlation';
import { hashPassword } from '../../ui/server/passwords';
import { eventually } from '../support/eventually';
import { testKeyring } from '../support/keys';
import { installTestRuntime } from '../support/logging';
import { fileRecords } from '../support/records';
import '../support/seed';
import { devServer, taskQueue, worker } from '../support/temporal';

/** One correlation id from the HTTP answer, through the Update, to the log lines of the activities it caused. */
const lines: LogEntry[] = [];
installTestRuntime({ capture: (e) => lines.push(e), captureFrom: 'DEBUG', quietCore: true });

let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
let app: FastifyInstance;
const queue = taskQueue();

beforeAll(async () => {
  env = await devServer();
  w = await worker(env, queue);
  running = w.run();
  const client = new Client({ connection: env.connection, dataConverter: clientDataConverter(testKeyring), interceptors: { workflow: [correlationClientInterceptor] } });
  const accounts = [{ id: 'ow1', name: 'Ow', role: 'coordinator' as const, teams: ['outreach'], passwordHash: await hashPassword('pw-ow1') }];
  app = await buildApp({ records: await fileRecords(), client, taskQueue: queue, accounts, sessionSecret: 'test-secret-test-secret-test-secret' });
});
afterAll(async () => {
  await app?.close();
  w?.shutdown();
  await running;
  await env?.teardown();
});

describe('a correlation id', () => {
  it('names the activities an action caused, in the worker’s log', async () => {
    const cookie = (await app.inject({ method: 'POST', url: '/api/session', payload: { id: 'ow1', password: 'pw-ow1' } })).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const started = await app.inject({ method: 'POST', url: '/api/pathways', headers: { cookie }, payload: { citizenRef: 'ref-correlated' } });
    expect(started.statusCode).toBe(201);
    const { pathwayId } = started.json();
    const acted = await app.inject({
      method: 'POST',
      url: `/api/pathways/${pathwayId}/events`,
      headers: { cookie },
      payload: { command: { type: 'pathway.close', reason: 'declined', note: 'seen at the harbour, declined' }, expectedVersion: 1, requestId: 'correlated-1' },
    });
    expect(acted.statusCode).toBe(200);
    const [startId, actId] = [started.headers['x-correlation-id'], acted.headers['x-correlation-id']];
    expect(startId).not.toBe(actId);
    const activitiesOf = (id: unknown) =>
      lines.filter((l) => l.meta?.correlationId === id && l.meta?.workflowId === `pathway-${pathwayId}`).map((l) => String(l.meta?.activityType));
    // The start's record write carries the start's id; the closure's (a stage change: the durable write) the closure's.
    await eventually(() => {
      expect(activitiesOf(startId).length).toBeGreaterThan(0);
      expect(activitiesOf(actId).length).toBeGreaterThan(0);
    });
    console.log(`correlated activities: start ${[...new Set(activitiesOf(startId))]}, action ${[...new Set(activitiesOf(actId))]}`);
  });
});
