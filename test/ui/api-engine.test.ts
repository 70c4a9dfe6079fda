import { mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { watchedAccounts, type Account } from '../../ui/server/accounts';
import { buildApp, type AppOptions } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import { carer } from '../support/actors';
import { act, startPathway } from '../support/client';
import { eventually } from '../support/eventually';
import { fileRecords } from '../support/records';
import { toWaiting } from '../support/journeys';
import '../support/seed';
import { devServer, taskQueue, worker } from '../support/temporal';

/**
 * How the API answers when the engine is not simply there and willing: a closed pathway, an
 * unknown one, no worker, a fault of ours; what it logs; how a start answers; how a client
 * waits for what the engine does by itself.
 */
let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
const queue = taskQueue();
/** A queue no worker polls: Updates sent there are never taken. */
const deadQueue = taskQueue();
const apps: FastifyInstance[] = [];
let accounts: Account[];
const SECRET = 'test-secret-test-secret-test-secret';

interface LogLine {
  level: number;
  reqId?: string;
  msg: string;
  req?: { headers?: Record<string, string> };
  err?: { message: string };
}
/** An app on the shared dev server whose log lines land in `log`. */
async function app(o: Partial<AppOptions> = {}, log: LogLine[] = []) {
  const a = await buildApp({
    records: await fileRecords(),
    client: env.client,
    taskQueue: queue,
    accounts,
    sessionSecret: SECRET,
    logger: { stream: { write: (line) => void log.push(JSON.parse(line) as LogLine) } },
    ...o,
  });
  apps.push(a);
  return a;
}

const account = async (id: string, role: Account['role'], teams: string[]): Promise<Account> => ({ id, name: `Staff ${id}`, role, teams, passwordHash: await hashPassword(`pw-${id}`) });

async function cookieOf(a: FastifyInstance, id: string) {
  const res = await a.inject({ method: 'POST', url: '/api/session', payload: { id, password: `pw-${id}` } });
  expect(res.statusCode).toBe(200);
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

beforeAll(async () => {
  env = await devServer();
  w = await worker(env, queue, { facilityCapacity: 1 });
  running = w.run();
  accounts = await Promise.all([account('ow1', 'coordinator', ['outreach']), account('cp1', 'coordinator', ['care-place'])]);
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.close()));
  w?.shutdown();
  await running;
  await env?.teardown();
});

const act$ = (a: FastifyInstance, cookie: string, id: string, command: unknown, expectedVersion: number) =>
  a.inject({ method: 'POST', url: `/api/pathways/${id}/events`, headers: { cookie }, payload: { command, expectedVersion, requestId: `req-${Math.random().toString(36).slice(2, 12)}` } });

describe('answers about pathways that cannot act', () => {
  it('answers 409 pathway-closed for an action on a closed pathway, and 404 not-found for an unknown one', async () => {
    const a = await app();
    const ow1 = await cookieOf(a, 'ow1');
    const started = await a.inject({ method: 'POST', url: '/api/pathways', headers: { cookie: ow1 }, payload: { citizenRef: 'ref-closed' } });
    const id = started.json().pathwayId as string;
    expect((await act$(a, ow1, id, { type: 'pathway.close', reason: 'declined' }, 1)).statusCode).toBe(200);
    await env.client.workflow.getHandle(pathwayWorkflowId(id)).result(); // the workflow has completed

    const closed = await act$(a, ow1, id, { type: 'note.add', text: 'too late' }, 2);
    expect(closed.statusCode).toBe(409);
    expect(closed.json()).toMatchObject({ code: 'pathway-closed', error: expect.stringMatching(/closed/) });
    // Reading a closed pathway still works.
    expect((await a.inject({ method: 'GET', url: `/api/pathways/${id}`, headers: { cookie: ow1 } })).json().view.stage).toBe('closed');

    const unknown = await act$(a, ow1, '00000000-0000-0000-0000-000000000000', { type: 'note.add', text: 'x' }, 1);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'not-found' });
  });

  it('answers 503 with Retry-After and a correlation id when no worker takes the Update, and 202 for a start no worker has seen', async () => {
    const log: LogLine[] = [];
    const a = await app({ rpcTimeoutMs: 1_500, taskQueue: deadQueue }, log);
    const ow1 = await cookieOf(a, 'ow1');
    const h = await startPathway(env, deadQueue);
    const res = await act$(a, ow1, h.workflowId.replace(/^pathway-/, ''), { type: 'note.add', text: 'hello' }, 1);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ code: 'unavailable', correlationId: res.headers['x-correlation-id'] });
    expect(log.find((l) => l.reqId === res.json().correlationId && l.level === 40)?.msg).toBe('engine unavailable');

    // The start happened, so the answer must not invite a retry that would start a second pathway.
    const start = await a.inject({ method: 'POST', url: '/api/pathways', headers: { cookie: ow1 }, payload: { citizenRef: 'ref-stalled' } });
    expect(start.statusCode).toBe(202);
    expect(start.json()).toMatchObject({ view: null });
    const description = await env.client.workflow.getHandle(pathwayWorkflowId(start.json().pathwayId)).describe();
    expect(description.status.name).toBe('RUNNING');
  });
});

describe('request logs', () => {
  it('log a 500 with the correlation id the answer carries, and never a cookie, a password or a body', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pathways-accounts-'));
    const path = join(dir, 'accounts.json');
    writeFileSync(path, JSON.stringify({ accounts }));
    const log: LogLine[] = [];
    const a = await app({ accounts: watchedAccounts(path) }, log);
    const cookie = await cookieOf(a, 'ow1');
    // Someone breaks the accounts file while the API runs: a fault of ours, not of the request.
    writeFileSync(path, '{ "accounts": [ oops');
    utimesSync(path, new Date(), new Date(Date.now() + 5_000));

    const password = 'correct-horse-battery-staple';
    const res = await a.inject({ method: 'POST', url: '/api/session', headers: { cookie, authorization: 'Bearer top-secret-token' }, payload: { id: 'ow1', password } });
    expect(res.statusCode).toBe(500);
    const { correlationId } = res.json();
    expect(res.json()).toMatchObject({ code: 'internal', correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(res.headers['x-correlation-id']).toBe(correlationId);

    const failed = log.find((l) => l.level === 50 && l.reqId === correlationId);
    expect(failed?.err?.message).toMatch(/accounts file/);
    const incoming = log.find((l) => l.reqId === correlationId && l.req);
    expect(incoming?.req?.headers).toMatchObject({ cookie: '[redacted]', authorization: '[redacted]' });
    const text = JSON.stringify(log);
    for (const secret of [password, 'top-secret-token', cookie.split('=')[1]!]) expect(text).not.toContain(secret);
  });
});

describe('starting a pathway', () => {
  it('answers the first view in one round trip: an Update sent with the start', async () => {
    const a = await app();
    const ow1 = await cookieOf(a, 'ow1');
    const res = await a.inject({ method: 'POST', url: '/api/pathways', headers: { cookie: ow1 }, payload: { citizenRef: 'ref-one-trip' } });
    expect(res.statusCode).toBe(201);
    expect(res.json().view).toMatchObject({ stage: 'outreach', version: 1, citizenRef: 'ref-one-trip' });
    const history = await env.client.workflow.getHandle(pathwayWorkflowId(res.json().pathwayId)).fetchHistory();
    const updates = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    expect(updates.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.name)).toEqual(['open']);
    // Taken in the very first workflow task: the view came with the start, not after it.
    const secondTask = history.events!.filter((e) => e.workflowTaskScheduledEventAttributes)[1];
    expect(history.events!.indexOf(updates[0]!)).toBeLessThan(secondTask ? history.events!.indexOf(secondTask) : Infinity);
  });
});

describe('waiting for the next version', () => {
  it('answers when a place granted through the facility bumps the version, with nobody acting', async () => {
    const a = await app({ waitMs: 20_000, watchEveryMs: 200 });
    const cp1 = await cookieOf(a, 'cp1');
    // The facility has one place: the first pathway takes it, the second waits for it.
    const first = await startPathway(env, queue);
    await toWaiting(first);
    await act(first, carer, { type: 'waitlist.join', facilityId: 'lindely' });
    await eventually(async () => expect((await first.query(viewQuery, carer)).stage).toBe('stay'));
    const second = await startPathway(env, queue);
    await toWaiting(second);
    const waiting = await act(second, carer, { type: 'waitlist.join', facilityId: 'lindely' });
    expect(waiting.stage).toBe('waiting');

    const id = second.workflowId.replace(/^pathway-/, '');
    const next = a.inject({ method: 'GET', url: `/api/pathways/${id}?after=${waiting.version}`, headers: { cookie: cp1 } });
    // The first pathway ends; the facility hands its place to the second, which nobody touches.
    await act(first, carer, { type: 'pathway.close', reason: 'moved' });
    const res = await next;
    expect(res.statusCode).toBe(200);
    expect(res.json().view.version).toBeGreaterThan(waiting.version);
    expect(res.json().view.stage).toBe('stay');
    // A version already passed answers at once.
    expect((await a.inject({ method: 'GET', url: `/api/pathways/${id}?after=${waiting.version}`, headers: { cookie: cp1 } })).json().view.stage).toBe('stay');
  });

  it('answers a waiting client at once when the pathway closes, with the closed view', async () => {
    const a = await app({ waitMs: 120_000, watchEveryMs: 200 });
    const ow1 = await cookieOf(a, 'ow1');
    const h = await startPathway(env, queue);
    const id = h.workflowId.replace(/^pathway-/, '');
    const waiting = a.inject({ method: 'GET', url: `/api/pathways/${id}?after=1`, headers: { cookie: ow1 } });
    await new Promise((r) => setTimeout(r, 500)); // the watcher has seen version 1 and waits
    const closed = await a.inject({
      method: 'POST',
      url: `/api/pathways/${id}/events`,
      headers: { cookie: ow1 },
      payload: { command: { type: 'pathway.close', reason: 'moved' }, expectedVersion: 1, requestId: `close-${id}` },
    });
    expect(closed.statusCode).toBe(200);
    // Answered by the change, not by the end of the 60-second wait (which would fail the test first).
    const res = await waiting;
    expect(res.statusCode).toBe(200);
    expect(res.json().view).toMatchObject({ stage: 'closed', version: 2 });
  });

  it('times out cleanly with the view as it stands when nothing changes', async () => {
    const a = await app({ waitMs: 1_000, watchEveryMs: 200 });
    const ow1 = await cookieOf(a, 'ow1');
    const h = await startPathway(env, queue);
    const id = h.workflowId.replace(/^pathway-/, '');
    const asked = Date.now();
    const res = await a.inject({ method: 'GET', url: `/api/pathways/${id}?after=1`, headers: { cookie: ow1 } });
    expect(res.statusCode).toBe(200);
    expect(res.json().view.version).toBe(1);
    expect(Date.now() - asked).toBeGreaterThanOrEqual(1_000); // it waited: the answer is not a plain read
    expect((await a.inject({ method: 'GET', url: `/api/pathways/${id}?after=-1`, headers: { cookie: ow1 } })).json()).toMatchObject({ code: 'invalid-request', params: { field: 'after' } });
  });
});
