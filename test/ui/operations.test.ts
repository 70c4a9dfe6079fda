import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type AppOptions } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { carer } from '../support/actors';
import { act, startPathway } from '../support/client';
import { eventually } from '../support/eventually';
import { toWaiting } from '../support/journeys';
import { fileRecords, testRecords } from '../support/records';
import '../support/seed';
import { devServer, taskQueue, worker } from '../support/temporal';

/** What an operator's probes and Prometheus read: /healthz, /readyz and /metrics. */
let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
const queue = taskQueue();
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  env = await devServer();
  w = await worker(env, queue);
  running = w.run();
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  w?.shutdown();
  await running;
  await env?.teardown();
});

async function app(o: Partial<AppOptions> = {}) {
  const accounts = [{ id: 'ow1', name: 'Ow', role: 'coordinator' as const, teams: ['outreach'], passwordHash: await hashPassword('pw-ow1') }];
  const a = await buildApp({ records: await fileRecords(), client: env.client, taskQueue: queue, accounts, sessionSecret: 'test-secret-test-secret-test-secret', ...o });
  apps.push(a);
  return a;
}

describe('probes', () => {
  it('says alive without a session, and ready once Temporal, the record store and a polling worker answer', async () => {
    const a = await app();
    expect((await a.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'alive' });
    // The worker's first poll may take a moment to be seen by the server.
    await eventually(async () => {
      const res = await a.inject({ method: 'GET', url: '/readyz' });
      expect(res.json()).toEqual({ status: 'ready', checks: { temporal: 'ok', database: 'ok', worker: 'ok' } });
      expect(res.statusCode).toBe(200);
    });
  });

  it('is not ready, and says which part, when no worker polls its queue or the record store is gone', async () => {
    const records = await testRecords();
    const a = await app({ taskQueue: taskQueue(), records });
    await records.close();
    const res = await a.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    const { status, checks } = res.json();
    expect(status).toBe('not-ready');
    expect(checks.temporal).toBe('ok');
    expect(checks.database).not.toBe('ok');
    expect(checks.worker).toMatch(/^no worker polls task queue /);
  });
});

describe('metrics', () => {
  it('counts actions by type and result and refusals by code, times answers by route pattern, and counts flags and places', async () => {
    const a = await app();
    const cookie = (await a.inject({ method: 'POST', url: '/api/session', payload: { id: 'ow1', password: 'pw-ow1' } })).cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const started = await a.inject({ method: 'POST', url: '/api/pathways', headers: { cookie }, payload: { citizenRef: 'ref-metrics', citizenName: 'Mette Målt' } });
    const { pathwayId } = started.json();
    const send = (command: object, expectedVersion: number, requestId: string) =>
      a.inject({ method: 'POST', url: `/api/pathways/${pathwayId}/events`, headers: { cookie }, payload: { command, expectedVersion, requestId } });
    expect((await send({ type: 'consent.record', given: true }, 1, 'metrics-1')).statusCode).toBe(200);
    expect((await send({ type: 'referral.request' }, 2, 'metrics-2')).statusCode).toBe(200);
    expect((await send({ type: 'contact.log', outcome: 'reached' }, 1, 'metrics-3')).statusCode).toBe(409);
    // A citizen on a facility's waitlist: the facility's workflow runs, and its places are counted.
    const waiting = await startPathway(env, queue);
    await toWaiting(waiting);
    await act(waiting, carer, { type: 'waitlist.join', facilityId: 'lindely' });

    await eventually(async () => {
      const text = (await a.inject({ method: 'GET', url: '/metrics' })).body;
      expect(text).toMatch(/^pathway_actions_total\{type="consent.record",result="applied"\} 1$/m);
      expect(text).toMatch(/^pathway_actions_total\{type="contact.log",result="refused"\} 1$/m);
      expect(text).toMatch(/^pathway_refusals_total\{code="stale-version"\} 1$/m);
      expect(text).toMatch(/^http_request_duration_seconds_count\{method="POST",route="\/api\/pathways\/:id\/events",status="200"\} 2$/m);
      // Visibility is eventually consistent: the handoff shows as a flag once it is indexed.
      expect(text).toMatch(/^pathways_flagged\{flag="handoff-pending"\} [1-9]/m);
      expect(text).toMatch(/^facility_places\{facility="lindely",state="capacity"\} \d+$/m);
      expect(text).toMatch(/^facility_places\{facility="lindely",state="(occupied|waiting)"\} [1-9]/m);
      // Ids and names stay out of every label.
      expect(text).not.toContain(pathwayId);
      expect(text).not.toMatch(/Mette|ref-metrics/);
    });
  });

  it('asks for the bearer token when one is configured', async () => {
    const a = await app({ metricsToken: 'prometheus-token-1234' });
    expect((await a.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const res = await a.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer prometheus-token-1234' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
  });
});
