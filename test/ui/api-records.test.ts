import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAuditEntries, getPathwayRecord, type Records } from '../../records';
import type { Account } from '../../ui/server/accounts';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { pathwayWorkflowId } from '../../workflows/messages';
import { eventually } from '../support/eventually';
import { registerTestReferenceData, testRecords } from '../support/records';
import '../support/seed';
import { devServer, taskQueue, worker } from '../support/temporal';

/** Issue 10: the API reads the audit trail from the record store, and closed pathways after Temporal forgot them. */
let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
let records: Records;
let app: FastifyInstance;
const queue = taskQueue();

const account = async (id: string, role: Account['role'], teams: string[]): Promise<Account> => ({ id, name: `Staff ${id}`, role, teams, passwordHash: await hashPassword(`pw-${id}`) });
async function cookieOf(id: string) {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { id, password: `pw-${id}` } });
  expect(res.statusCode).toBe(200);
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}
const act$ = (cookie: string, id: string, command: unknown, expectedVersion: number) =>
  app.inject({ method: 'POST', url: `/api/pathways/${id}/events`, headers: { cookie }, payload: { command, expectedVersion, requestId: `req-${Math.random().toString(36).slice(2, 12)}` } });
const get$ = (cookie: string, url: string) => app.inject({ method: 'GET', url, headers: { cookie } });

beforeAll(async () => {
  env = await devServer();
  records = await registerTestReferenceData(await testRecords());
  w = await worker(env, queue, { records });
  running = w.run();
  const accounts = await Promise.all([account('ow1', 'coordinator', ['outreach']), account('cp1', 'coordinator', ['care-place'])]);
  app = await buildApp({ client: env.client, taskQueue: queue, accounts, sessionSecret: 'test-secret-test-secret-test-secret', records });
});

afterAll(async () => {
  await app?.close();
  w?.shutdown();
  await running;
  await records?.close();
  await env?.teardown();
});

/** A pathway with 60 notes, through the API; returns its id and its version. */
async function withNotes(cookie: string, citizenRef: string) {
  const started = await app.inject({ method: 'POST', url: '/api/pathways', headers: { cookie }, payload: { citizenRef } });
  expect(started.statusCode).toBe(201);
  const id = started.json().pathwayId as string;
  let version = 1;
  for (let i = 1; i <= 60; i++) {
    const res = await act$(cookie, id, { type: 'note.add', text: `note ${i}` }, version);
    expect(res.statusCode).toBe(200);
    version = res.json().view.version;
  }
  return { id, version };
}

describe('the audit trail through the API', () => {
  it('answers the newest page with the pathway, and pages older entries from the record store', async () => {
    const ow1 = await cookieOf('ow1');
    const { id } = await withNotes(ow1, 'ref-paged');
    const first = (await get$(ow1, `/api/pathways/${id}`)).json();
    expect(first.view.version).toBe(61);
    expect(first.audit.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 12 + i));
    expect(first.auditOlder).toBe(true);
    const older = (await get$(ow1, `/api/pathways/${id}/audit?before=12`)).json();
    expect(older.entries.map((e: { seq: number }) => e.seq)).toEqual(Array.from({ length: 11 }, (_, i) => 1 + i));
    expect(older.older).toBe(false);
    const after = (await get$(ow1, `/api/pathways/${id}/audit?after=55&limit=3`)).json();
    expect(after.entries.map((e: { details?: { text?: string } }) => e.details?.text)).toEqual(['note 55', 'note 56', 'note 57']);
    const bad = await get$(ow1, `/api/pathways/${id}/audit?before=5&after=2`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid-request' });
  }, 120_000);
});

describe('a closed pathway that Temporal no longer has', () => {
  it('is read from its record with its full audit trail, refuses actions with 409 pathway-closed, and stays hidden from other teams', async () => {
    const ow1 = await cookieOf('ow1');
    const { id, version } = await withNotes(ow1, 'ref-deleted');
    expect((await act$(ow1, id, { type: 'pathway.close', reason: 'declined' }, version)).statusCode).toBe(200);
    const handle = env.client.workflow.getHandle(pathwayWorkflowId(id));
    await handle.result();
    await eventually(async () => {
      expect(await countAuditEntries(records.db, id)).toBe(62);
      expect((await getPathwayRecord(records.db, id))?.closureReason).toBe('declined');
    }, 30_000);
    // What the namespace's retention does after its days: the run is gone from Temporal.
    // The server deletes in the background, slowly under load: asking again is harmless.
    const gone = () => handle.describe().then(() => 'there', (e) => (e instanceof WorkflowNotFoundError ? 'gone' : String(e)));
    await eventually(async () => {
      if ((await gone()) === 'there') {
        await env.client.workflowService.deleteWorkflowExecution({ namespace: env.namespace ?? 'default', workflowExecution: { workflowId: handle.workflowId } });
      }
      expect(await gone()).toBe('gone');
    }, 60_000);

    const res = await get$(ow1, `/api/pathways/${id}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.view).toBeNull();
    expect(body.record).toMatchObject({ pathwayId: id, team: 'outreach', closureReason: 'declined', history: { stages: [{ stage: 'outreach' }, { stage: 'closed', leftAt: null }] } });
    const trail = [...body.audit];
    let older = body.auditOlder as boolean;
    while (older) {
      const page = (await get$(ow1, `/api/pathways/${id}/audit?before=${trail[0].seq}`)).json();
      trail.unshift(...page.entries);
      older = page.older;
    }
    expect(trail.map((e) => e.seq)).toEqual(Array.from({ length: 62 }, (_, i) => i + 1));
    expect(trail.map((e) => e.type)).toEqual(['pathway.start', ...Array.from({ length: 60 }, () => 'note.add'), 'pathway.close']);

    const refused = await act$(ow1, id, { type: 'note.add', text: 'too late' }, 62);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'pathway-closed' });
    // To another team the closed pathway is as unknown as one that never was, to read and to act on.
    const cp1 = await cookieOf('cp1');
    const unknown = await get$(ow1, '/api/pathways/00000000-0000-0000-0000-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect([(await get$(cp1, `/api/pathways/${id}`)).body, (await act$(cp1, id, { type: 'note.add', text: 'x' }, 62)).body]).toEqual([unknown.body, unknown.body]);
  }, 180_000);
});
