import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containsPersonalIdNumber } from '../../machines';
import { citizenKey } from '../../ui/server/cpr';
import { PathwayCitizenKey } from '../../workflows/search-attributes';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import { act, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { fileRecords } from '../support/records';
import '../support/seed';
import { devServer, taskQueue, worker } from '../support/temporal';

/** The citizen's name where staff need it (the case, the lists) and a reference that can hold no personal ID number. */

let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
let app: FastifyInstance;
let cookie = '';
const queue = taskQueue();

beforeAll(async () => {
  env = await devServer();
  w = await worker(env, queue);
  running = w.run();
  const accounts = await Promise.all(
    [['ow1', 'outreach'], ['cp1', 'care-place']].map(async ([id, team]) => ({ id: id!, name: 'Staff', role: 'coordinator' as const, teams: [team!], passwordHash: await hashPassword(`pw-${id}`) })),
  );
  app = await buildApp({ records: await fileRecords(), client: env.client, taskQueue: queue, accounts, sessionSecret: 'test-secret-test-secret-test-secret', cprHashKey: KEY });
  cookie = await signIn('ow1');
}, 60_000);

const KEY = Buffer.alloc(32, 3);
async function signIn(id: string) {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { id, password: `pw-${id}` } });
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

afterAll(async () => {
  await app?.close();
  w?.shutdown();
  await running;
  await env?.teardown();
});

describe('a CPR number', () => {
  it('finds the citizen’s pathways within one’s scope, is kept only as a keyed hash, and never travels in a URL', async () => {
    const cpr = '121170-4321';
    const started = await app.inject({ method: 'POST', url: '/api/pathways', headers: { cookie }, payload: { citizenRef: 'ref-cpr', cpr } });
    expect(started.statusCode).toBe(201);
    const { pathwayId } = started.json();
    const search = (who: string, body: unknown) => app.inject({ method: 'POST', url: '/api/pathways/search', headers: { cookie: who }, payload: body as object });
    await eventually(async () => expect((await search(cookie, { cpr: '1211704321' })).json().map((r: { pathwayId: string }) => r.pathwayId)).toEqual([pathwayId]));
    expect((await search(await signIn('cp1'), { cpr })).json()).toEqual([]);
    expect((await search(cookie, { cpr: '121170-4322' })).json()).toEqual([]);
    expect((await search(cookie, { cpr: '991170-4321' })).json()).toMatchObject({ code: 'invalid-request', params: { field: 'cpr' } });
    expect((await app.inject({ method: 'GET', url: `/api/pathways/search?cpr=${cpr}`, headers: { cookie } })).statusCode).toBe(404);

    const described = await env.client.workflow.getHandle(pathwayWorkflowId(pathwayId)).describe();
    const key = described.typedSearchAttributes.get(PathwayCitizenKey);
    expect(key).toBe(citizenKey('1211704321', KEY));
    expect(JSON.stringify(described.raw)).not.toMatch(/121170-?4321/);
  });
});

describe('a personal ID number in a citizen reference', () => {
  it('is found anywhere in it, standing alone, and refused with 400', async () => {
    for (const ref of ['010190-1234', 'ref-0101901234', 'x010190-1234y', 'no-01019012345']) {
      const res = await app.inject({ method: 'POST', url: '/api/pathways', headers: { cookie }, payload: { citizenRef: ref } });
      expect([ref, res.statusCode, res.json().params]).toEqual([ref, 400, { field: 'citizenRef' }]);
    }
    // Numbers that are not one: a case number, a year and a count, too few or too many digits.
    expect(['sag-2026-000123', 'ref-12345-6789', '0101901234567', 'a1b2c3'].filter(containsPersonalIdNumber)).toEqual([]);
  });
});

describe('the citizen’s name', () => {
  it('is shown on the case and in the caseload, and is in no id', async () => {
    const citizenName = `Jens Hansen ${randomUUID().slice(0, 4)}`;
    const started = await app.inject({ method: 'POST', url: '/api/pathways', headers: { cookie }, payload: { citizenRef: `ref-${randomUUID().slice(0, 8)}`, citizenName } });
    expect(started.statusCode).toBe(201);
    const { pathwayId, view } = started.json();
    expect(view.citizenName).toBe(citizenName);
    expect(pathwayId).not.toContain('Jens');

    const listed = async () => ((await app.inject({ method: 'GET', url: '/api/pathways', headers: { cookie } })).json() as { pathwayId: string; citizenName: string | null }[]).find((r) => r.pathwayId === pathwayId);
    await eventually(async () => expect((await listed())?.citizenName).toBe(citizenName));

  });

  it('stays in the memo and on the case when the pathway continues in a new run', async () => {
    const citizenName = `Grete Jensen ${randomUUID().slice(0, 4)}`;
    const pathwayId = `names-${randomUUID().slice(0, 8)}`;
    const h = (await env.client.workflow.start('pathwayWorkflow', {
      taskQueue: queue,
      workflowId: pathwayWorkflowId(pathwayId),
      memo: { citizenName },
      args: [{ start: { pathwayId, citizenRef: 'ref-runs', citizenName, team: 'outreach', by: outreachWorker }, limits: { maxUpdates: 2 } }],
    })) as PathwayHandle;
    const firstRun = (await h.describe()).runId;
    const latest = env.client.workflow.getHandle(pathwayWorkflowId(pathwayId)) as PathwayHandle;
    for (let i = 0; i < 2; i++) await act(latest, outreachWorker, { type: 'note.add', text: `note ${i}` });
    // An action while the run hands over is refused as busy (the API answers 503, retry): wait for the new run.
    await eventually(async () => expect((await latest.describe()).runId).not.toBe(firstRun));
    await act(latest, outreachWorker, { type: 'note.add', text: 'note 2' });
    expect((await latest.describe()).memo).toEqual({ citizenName });
    expect((await latest.query(viewQuery, outreachWorker)).citizenName).toBe(citizenName);
  });
});
