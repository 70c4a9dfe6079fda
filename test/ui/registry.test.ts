import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createFacilityActivities } from '../../activities/facilities';
import { getFacility, getPartner, getTeam, pageAccessLog, PathwayHistorySchema, upsertPartner, upsertPathwayRecord, type Records } from '../../records';
import type { Account } from '../../ui/server/accounts';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { stampPartner } from '../../ui/server/registry-checks';
import { boardQuery, facilityWorkflowId } from '../../workflows/facility-messages';
import { pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import { carer } from '../support/actors';
import { startPathway } from '../support/client';
import { eventually } from '../support/eventually';
import { toWaiting } from '../support/journeys';
import { fileRecords, registerFacility } from '../support/records';
import { devServer, taskQueue, worker } from '../support/temporal';

/**
 * The registry of teams and facilities: a command naming an unknown one is refused before it
 * reaches the pathway, a facility is never created from a mistyped id, capacities come from
 * the registry, and admins manage it through the API.
 */
let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
let app: FastifyInstance;
let records: Records;
const queue = taskQueue();
const cookies: Record<string, string> = {};

const account = async (id: string, role: Account['role'], teams: string[]): Promise<Account> => ({ id, name: `Staff ${id}`, role, teams, passwordHash: await hashPassword(`pw-${id}`) });

beforeAll(async () => {
  env = await devServer();
  records = await fileRecords();
  w = await worker(env, queue, { records });
  running = w.run();
  const accounts = await Promise.all([
    account('ow1', 'coordinator', ['outreach']),
    account('cp1', 'coordinator', ['care-place']),
    account('ghost1', 'coordinator', ['ghost-team']),
    account('adm', 'admin', []),
    account('mr1', 'municipal-reader', []),
  ]);
  app = await buildApp({ client: env.client, taskQueue: queue, records, accounts, sessionSecret: 'test-secret-test-secret-test-secret' });
  for (const a of accounts) {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { id: a.id, password: `pw-${a.id}` } });
    expect(res.statusCode).toBe(200);
    cookies[a.id] = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  }
});

afterAll(async () => {
  await app?.close();
  w?.shutdown();
  await running;
  await env?.teardown();
});

const call = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) => app.inject({ method, url, headers: { cookie: cookies[who] ?? '' }, ...(payload ? { payload } : {}) });
const send = async (who: string, id: string, command: object) => {
  const { version } = await env.client.workflow.getHandle(pathwayWorkflowId(id)).query(viewQuery, carer);
  return call(who, 'POST', `/api/pathways/${id}/events`, { command, expectedVersion: version, requestId: `req-${randomUUID()}` });
};
const runs = async (workflowId: string) => {
  let n = 0;
  for await (const _ of env.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) n++;
  return n;
};

describe('commands naming a team or facility', () => {
  it('refuses waitlist.join with a mistyped facility id (409 unknown-facility) and creates no facility', async () => {
    const h = await startPathway(env, queue);
    await toWaiting(h);
    const id = h.workflowId.replace(/^pathway-/, '');
    const before = await h.query(viewQuery, carer);
    const res = await send('cp1', id, { type: 'waitlist.join', facilityId: 'skovang' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: expect.stringMatching(/skovang/), code: 'unknown-facility', params: { facility: 'skovang' } });
    expect((await h.query(viewQuery, carer)).version).toBe(before.version);
    expect(await getFacility(records.db, 'skovang')).toBeNull();
    // Visibility lags: give a wrongly started facility time to show before concluding it is not there.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await runs(facilityWorkflowId('skovang'))).toBe(0);
  });

  it('refuses a handoff, a reassignment and a start naming an unknown or deactivated team (409 unknown-team)', async () => {
    const h = await startPathway(env, queue);
    const id = h.workflowId.replace(/^pathway-/, '');
    await send('ow1', id, { type: 'consent.record', given: true });
    const version = (await h.query(viewQuery, carer)).version;
    const handoff = await send('ow1', id, { type: 'referral.request', toTeam: 'psychiatry-liason' });
    expect(handoff.statusCode).toBe(409);
    expect(handoff.json()).toMatchObject({ code: 'unknown-team', params: { team: 'psychiatry-liason' } });
    await call('adm', 'PUT', '/api/teams/retired-team', { name: 'Retired', language: 'da', coordinators: [], supervisors: [], active: false });
    const retired = await send('ow1', id, { type: 'referral.request', toTeam: 'retired-team' });
    expect(retired.json()).toMatchObject({ code: 'unknown-team', params: { team: 'retired-team' } });
    const reassign = await send('ow1', id, { type: 'pathway.reassign', toTeam: 'nobody-team', reason: 'holiday cover' });
    expect(reassign.json()).toMatchObject({ code: 'unknown-team', params: { team: 'nobody-team' } });
    const view = await h.query(viewQuery, carer);
    expect(view.version).toBe(version);
    expect(view.handoff).toBeNull();

    const start = await call('ghost1', 'POST', '/api/pathways', { citizenRef: 'ref-ghost' });
    expect(start.statusCode).toBe(409);
    expect(start.json()).toMatchObject({ code: 'unknown-team', params: { team: 'ghost-team' } });
    expect(await getTeam(records.db, 'ghost-team')).toBeNull();
  });
});

describe('the facility activity', () => {
  it('refuses an unknown facility as a non-retryable failure and starts no workflow', async () => {
    const facilities = createFacilityActivities(env.client, queue, records);
    const refused = await facilities.requestPlace({ facilityId: 'nowhere-house', pathwayId: 'p-1' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: 'UnknownFacility', nonRetryable: true, details: [{ key: 'unknown-facility', params: { facility: 'nowhere-house' } }] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await runs(facilityWorkflowId('nowhere-house'))).toBe(0);
  });

  it('starts a facility with the registry capacity, and an admin change reaches it while it runs', async () => {
    const facilityId = `reg-${randomUUID().slice(0, 8)}`;
    await registerFacility(records, facilityId, 3);
    await createFacilityActivities(env.client, queue, records).requestPlace({ facilityId, pathwayId: 'p-2' });
    const board = () => env.client.workflow.getHandle(facilityWorkflowId(facilityId)).query(boardQuery, Date.now());
    await eventually(async () => expect((await board()).capacity).toBe(3));

    const denied = await call('cp1', 'PUT', `/api/facilities/registry/${facilityId}`, { name: 'X', capacity: 5 });
    expect(denied.statusCode).toBe(403);
    expect(denied.json()).toMatchObject({ code: 'role-required', params: { role: 'admin' } });
    const changed = await call('adm', 'PUT', `/api/facilities/registry/${facilityId}`, { name: 'Care place West', capacity: 5 });
    expect(changed.statusCode).toBe(200);
    expect((await board()).capacity).toBe(5);
    expect(await getFacility(records.db, facilityId)).toEqual({ id: facilityId, name: 'Care place West', capacity: 5, active: true });
  });
});

describe('the registry API', () => {
  it('lists active teams and facilities for the pickers, everything for admins, and refuses bad input', async () => {
    await call('adm', 'PUT', '/api/facilities/registry/closed-house', { name: 'Closed', capacity: 1, active: false });
    const teams = (await call('cp1', 'GET', '/api/teams')).json() as { id: string }[];
    expect(teams.map((t) => t.id)).toContain('care-place');
    expect(teams.map((t) => t.id)).not.toContain('retired-team');
    expect(teams[0]).not.toHaveProperty('coordinators');
    const facilities = (await call('cp1', 'GET', '/api/facilities/registry')).json() as { id: string }[];
    expect(facilities.map((f) => f.id)).toContain('skovvang');
    expect(facilities.map((f) => f.id)).not.toContain('closed-house');
    expect(((await call('adm', 'GET', '/api/facilities/registry')).json() as { id: string }[]).map((f) => f.id)).toContain('closed-house');

    const bad = await call('adm', 'PUT', '/api/teams/new-team', { name: 'New', language: 'da', coordinators: ['not-an-address'], supervisors: [] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid-request', params: { field: 'coordinators.0' } });
    expect(await getTeam(records.db, 'new-team')).toBeNull();
    const negative = await call('adm', 'PUT', '/api/facilities/registry/new-house', { name: 'New', capacity: -1 });
    expect(negative.json()).toMatchObject({ code: 'invalid-request', params: { field: 'capacity' } });
  });
});

describe('partners', () => {
  const partnerBody = { name: 'Regionspsykiatrien Nord', kind: 'region-psychiatry', contactName: 'Hanne Holm', contactEmail: 'hanne@region.example.org', responseDays: 10 };
  const request = (partnerId: string, responseDays = 3) => ({ type: 'partner.request', partnerId, request: 'Please assess medication', responseDays }) as const;
  const register = (id: string, responseDays: number, active = true) =>
    upsertPartner(records.db, { id, name: `Partner ${id}`, kind: 'housing-office', contactName: 'Ole Berg', responseDays, active });

  it('admins register partners, logged; everyone signed in reads the active ones without e-mail; only admins write', async () => {
    const id = `region-${randomUUID().slice(0, 8)}`;
    const put = await call('adm', 'PUT', `/api/partners/${id}`, partnerBody);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ id, ...partnerBody, active: true });
    expect(await getPartner(records.db, id)).toEqual({ id, ...partnerBody, active: true });
    const logged = await pageAccessLog(records.db, { actorId: 'adm', limit: 1000 });
    expect(logged.filter((e) => e.action === 'registry.partner' && e.details.partner === id)).toMatchObject([{ outcome: 'allowed', details: { responseDays: 10, active: true } }]);
    await call('adm', 'PUT', '/api/partners/old-police', { name: 'Politiet Syd', kind: 'police', contactName: 'Vagthavende', responseDays: 5, active: false });

    const seen = (await call('cp1', 'GET', '/api/partners')).json() as { id: string }[];
    expect(seen.find((p) => p.id === id)).toEqual({ id, name: partnerBody.name, kind: 'region-psychiatry', contactName: 'Hanne Holm', responseDays: 10 });
    expect(seen.map((p) => p.id)).not.toContain('old-police');
    const all = (await call('adm', 'GET', '/api/partners')).json() as { id: string }[];
    expect(all.find((p) => p.id === id)).toEqual({ id, ...partnerBody, active: true });
    expect(all.find((p) => p.id === 'old-police')).toMatchObject({ active: false });

    for (const who of ['cp1', 'mr1']) {
      const denied = await call(who, 'PUT', `/api/partners/${id}`, { ...partnerBody, responseDays: 1 });
      expect(denied.statusCode).toBe(403);
      expect(denied.json()).toMatchObject({ code: 'role-required', params: { role: 'admin' } });
    }
    expect((await getPartner(records.db, id))?.responseDays).toBe(10);
  });

  it('refuses a bad partner body with the field, and writes nothing', async () => {
    const id = `bad-${randomUUID().slice(0, 8)}`;
    for (const [body, field] of [
      [{ ...partnerBody, responseDays: 120 }, 'responseDays'],
      [{ ...partnerBody, kind: 'hospital' }, 'kind'],
      [{ ...partnerBody, contactEmail: 'not-an-address' }, 'contactEmail'],
      [{ ...partnerBody, contactName: '' }, 'contactName'],
    ] as const) {
      const bad = await call('adm', 'PUT', `/api/partners/${id}`, body);
      expect([field, bad.statusCode]).toEqual([field, 400]);
      expect(bad.json()).toMatchObject({ code: 'invalid-request', params: { field } });
    }
    expect((await call('adm', 'PUT', `/api/partners/${id}`, { ...partnerBody, phone: '12345678' })).statusCode).toBe(400);
    expect(await getPartner(records.db, id)).toBeNull();
  });

  it('refuses a partner.request naming an unknown or inactive partner (409 unknown-partner) before it reaches the pathway', async () => {
    await register('closed-office', 7, false);
    const h = await startPathway(env, queue);
    const id = h.workflowId.replace(/^pathway-/, '');
    const before = (await h.query(viewQuery, carer)).version;
    const unknown = await send('ow1', id, request('nobody-partner'));
    expect(unknown.statusCode).toBe(409);
    expect(unknown.json()).toEqual({ error: expect.stringMatching(/nobody-partner/), code: 'unknown-partner', params: { partner: 'nobody-partner' } });
    expect((await send('ow1', id, request('closed-office'))).json()).toMatchObject({ code: 'unknown-partner', params: { partner: 'closed-office' } });
    expect((await h.query(viewQuery, carer)).version).toBe(before);
  });

  it('stamps a partner.request with the registered response time, not the client’s; other commands pass unchanged', async () => {
    const partnerId = `housing-${randomUUID().slice(0, 8)}`;
    await register(partnerId, 21);
    expect(await stampPartner(records, request(partnerId, 3))).toEqual(request(partnerId, 21));
    const note = { type: 'note.add', text: 'called the housing office' } as const;
    expect(await stampPartner(records, note)).toBe(note);
    await expect(stampPartner(records, request('nobody-partner'))).rejects.toMatchObject({ status: 409, code: 'unknown-partner' });
  });

  it('sends the workflow the registered response time', async () => {
    const partnerId = `housing-${randomUUID().slice(0, 8)}`;
    await register(partnerId, 21);
    const h = await startPathway(env, queue);
    const id = h.workflowId.replace(/^pathway-/, '');
    // What the route hands Temporal, whatever the pathway then makes of it.
    const sent: { command: unknown }[] = [];
    const getHandle = env.client.workflow.getHandle.bind(env.client.workflow);
    const spy = vi.spyOn(env.client.workflow, 'getHandle').mockImplementation((...args: Parameters<typeof getHandle>) => {
      const handle = getHandle(...args);
      const executeUpdate = handle.executeUpdate.bind(handle);
      handle.executeUpdate = ((def: never, o: { args: [{ command: unknown }] }) => (sent.push(o.args[0]), executeUpdate(def, o))) as typeof handle.executeUpdate;
      return handle;
    });
    try {
      await send('ow1', id, request(partnerId, 3));
    } finally {
      spy.mockRestore();
    }
    expect(sent.map((u) => u.command)).toEqual([request(partnerId, 21)]);
  });
});

describe('the reports API', () => {
  it('reports a period from the record store as JSON and CSV, within the coordinator’s teams, everything to the municipality-wide reader', async () => {
    const history = { stages: [{ stage: 'outreach', enteredAt: Date.UTC(2025, 4, 1), leftAt: Date.UTC(2025, 4, 3) }], stays: [], handoffs: [], notices: [], readmissions: [] };
    const base = { citizenRef: 'ref-r', openedAt: Date.UTC(2025, 4, 1), closedAt: Date.UTC(2025, 4, 3), closureReason: 'moved', outcome: null };
    await upsertPathwayRecord(records.db, { ...base, pathwayId: 'report-1', team: 'care-place', history: { ...PathwayHistorySchema.parse(history), firstReachedAt: Date.UTC(2025, 4, 1) } });
    await upsertPathwayRecord(records.db, { ...base, pathwayId: 'report-2', team: 'outreach', history: PathwayHistorySchema.parse(history) });

    const mine = await call('cp1', 'GET', '/api/reports?from=2025-05-01&to=2025-06-01');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toMatchObject({ pathways: 1, reached: 1, closures: [{ reason: 'moved', count: 1 }], timeInStage: [{ stage: 'outreach', count: 1, mean: 2, median: 2, max: 2 }] });
    const all = await call('mr1', 'GET', '/api/reports?from=2025-05-01&to=2025-06-01');
    expect(all.json()).toMatchObject({ pathways: 2, reached: 1 });
    expect((await call('adm', 'GET', '/api/reports')).statusCode).toBe(403);
    const csv = await call('cp1', 'GET', '/api/reports.csv?from=2025-05-01&to=2025-06-01&team=care-place');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="report-2025-05-01-2025-06-01.csv"');
    expect(csv.body).toContain('pathways,count,1\n');

    expect((await call('cp1', 'GET', '/api/reports?team=outreach')).json()).toMatchObject({ code: 'not-in-team', params: { team: 'outreach' } });
    const bad = await call('cp1', 'GET', '/api/reports?from=2025-13-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'invalid-request', params: { field: 'from' } });
    expect((await call('cp1', 'GET', '/api/reports?from=2025-06-01&to=2025-05-01')).statusCode).toBe(400);
  });
});
