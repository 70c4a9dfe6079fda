import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import type { Account } from '../../ui/server/accounts';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { pathwayWorkflowId } from '../../workflows/messages';
import { startPathway } from '../support/client';
import { fileRecords, registerFacility } from '../support/records';
import '../support/seed';
import { devServer, taskQueue, worker } from '../support/temporal';

let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
let app: FastifyInstance;
const queue = taskQueue();

const account = async (id: string, role: Account['role'], teams: string[]): Promise<Account> => ({
  id,
  name: `Staff ${id}`,
  role,
  teams,
  passwordHash: await hashPassword(`pw-${id}`),
});

beforeAll(async () => {
  env = await devServer();
  w = await worker(env, queue);
  running = w.run();
  const accounts = await Promise.all([
    account('ow1', 'coordinator', ['outreach']),
    account('li1', 'coordinator', ['psychiatry-liaison']),
    account('cp1', 'coordinator', ['care-place']),
    account('cpl', 'supervisor', ['care-place']),
    account('owl', 'supervisor', ['outreach']),
    account('other', 'coordinator', ['elsewhere']),
  ]);
  app = await buildApp({ records: await fileRecords(), client: env.client, taskQueue: queue, accounts, sessionSecret: 'test-secret-test-secret-test-secret' });
  for (const a of accounts) cookies[a.id] = (await signIn(a.id)).cookie;
});

afterAll(async () => {
  await app?.close();
  w?.shutdown();
  await running;
  await env?.teardown();
});

/** One session per account, signed in before the cases run. */
const cookies: Record<string, string> = {};
async function signIn(id: string) {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { id, password: `pw-${id}` } });
  expect(res.statusCode).toBe(200);
  return { res, cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; ') };
}
const as = (id: string) => ({ cookie: cookies[id] ?? '' });
const get = (id: string, url: string) => app.inject({ method: 'GET', url, headers: as(id) });
/** A pathway as read, less the reading time (every read is as of its own moment). */
const state = (body: { view: { asOf: number } }) => ({ ...body, view: { ...body.view, asOf: undefined } });
const post = (id: string, url: string, payload: unknown) => app.inject({ method: 'POST', url, headers: as(id), payload: payload as object });
let requests = 0;
const send = (id: string, pathwayId: string, command: unknown, expectedVersion: number, requestId = `req-${++requests}-${Date.now()}`) =>
  post(id, `/api/pathways/${pathwayId}/events`, { command, expectedVersion, requestId });

/** A new pathway of the outreach team, for one case alone; with consent it is at version 2. */
async function newPathway(o: { consent?: boolean } = {}): Promise<string> {
  const res = await post('ow1', '/api/pathways', { citizenRef: `ref-${++requests}` });
  expect(res.statusCode).toBe(201);
  const id: string = res.json().pathwayId;
  if (o.consent) expect((await send('ow1', id, { type: 'consent.record', given: true }, 1)).statusCode).toBe(200);
  return id;
}

/** Takes a consented pathway through the API into a stay at `facilityId`. */
async function intoStay(id: string, facilityId: string) {
  await registerFacility(await fileRecords(), facilityId);
  const steps: [string, unknown][] = [
    ['ow1', { type: 'referral.request' }],
    ['li1', { type: 'handoff.accept' }],
    ['li1', { type: 'assessment.outcome', outcome: 'care-place' }],
    ['cp1', { type: 'handoff.accept' }],
    ['cp1', { type: 'waitlist.join', facilityId }],
  ];
  let version = 2;
  for (const [who, command] of steps) {
    const res = await send(who, id, command, version);
    expect(res.statusCode, JSON.stringify(command)).toBe(200);
    version = res.json().view.version;
  }
  await eventually(async () => expect((await get('cp1', `/api/pathways/${id}`)).json().view.stage).toBe('stay'));
}

describe('sign-in', () => {
  it('rejects a wrong password and an unknown id alike, and accepts the right one with a safe cookie', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/session', payload: { id: 'ow1', password: 'nope' } });
    const unknown = await app.inject({ method: 'POST', url: '/api/session', payload: { id: 'ghost', password: 'nope' } });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toEqual(unknown.json());
    const { res: ok } = await signIn('ow1');
    expect(ok.json()).toMatchObject({ id: 'ow1', role: 'coordinator', teams: ['outreach'] });
    const set = ok.headers['set-cookie'] as string;
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
  });

  it('answers 401 without a session or with a forged one', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/pathways' })).statusCode).toBe(401);
    const forged = await app.inject({ method: 'GET', url: '/api/pathways', headers: { cookie: 'session=ow1|99999999999999' } });
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toEqual({ error: 'sign in first', code: 'not-signed-in' });
  });
});

describe('pathways over HTTP', () => {
  it('starts a pathway for the signed-in coordinator’s team', async () => {
    const res = await post('ow1', '/api/pathways', { citizenRef: 'ref-1001' });
    expect(res.statusCode).toBe(201);
    expect(res.json().view).toMatchObject({ stage: 'outreach', responsibleTeam: 'outreach', version: 1, citizenRef: 'ref-1001' });
    expect(res.json().view.actions.find((x: { type: string }) => x.type === 'contact.log')).toEqual({ type: 'contact.log', available: true });
  });

  it('refuses to start with bad input or for another team', async () => {
    expect((await post('ow1', '/api/pathways', { citizenRef: 'Jens Hansen' })).statusCode).toBe(400);
    expect((await post('ow1', '/api/pathways', { citizenRef: 'ref-2', cpr: '010190-1234' })).statusCode).toBe(400);
    const other = await post('ow1', '/api/pathways', { citizenRef: 'ref-2', team: 'care-place' });
    expect(other.statusCode).toBe(403);
    expect(other.json().error).toBe('you are not in team care-place');
  });

  it('shows the view with its audit trail, and to other teams answers exactly as for an unknown pathway', async () => {
    const id = await newPathway();
    const res = await get('ow1', `/api/pathways/${id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().audit[0]).toMatchObject({ type: 'pathway.start', by: { id: 'ow1', role: 'coordinator' } });
    const unknown = await get('ow1', `/api/pathways/00000000-0000-0000-0000-000000000000`);
    expect(unknown.statusCode).toBe(404);
    for (const who of ['other', 'cpl']) {
      const hidden = await get(who, `/api/pathways/${id}`);
      expect([hidden.statusCode, hidden.body]).toEqual([404, unknown.body]);
    }
    expect((await get('ow1', `/api/pathways/not%20an%20id`)).statusCode).toBe(400);
  });

  it('applies an event and returns the new view; a retried request applies once', async () => {
    const id = await newPathway();
    const first = await send('ow1', id, { type: 'consent.record', given: true }, 1, 'click-consent-0001');
    expect(first.statusCode).toBe(200);
    expect(first.json().view.version).toBe(2);
    const retry = await send('ow1', id, { type: 'consent.record', given: true }, 1, 'click-consent-0001');
    expect(retry.statusCode).toBe(200);
    expect(retry.json().view.version).toBe(2);
  });

  it('answers every bad request with its class and a reason, and changes nothing', async () => {
    const id = await newPathway({ consent: true });
    const before = state((await get('ow1', `/api/pathways/${id}`)).json());
    const cases: [string, () => ReturnType<typeof send>, number, RegExp][] = [
      ['other team', () => send('other', id, { type: 'contact.log', outcome: 'reached' }, 2), 404, /^no such pathway$/],
      ['other team, stale version', () => send('other', id, { type: 'contact.log', outcome: 'reached' }, 1), 404, /^no such pathway$/],
      ['wrong role', () => send('ow1', id, { type: 'pathway.reassign', toTeam: 'backup', reason: 'holiday' }, 2), 403, /supervisor/],
      ['stale version', () => send('ow1', id, { type: 'contact.log', outcome: 'reached' }, 1), 409, /changed/],
      ['impossible', () => send('ow1', id, { type: 'hospital.admit' }, 2), 409, /not possible while the pathway is in outreach/],
      ['bad command', () => send('ow1', id, { type: 'contact.log', outcome: 'maybe' }, 2), 400, /command/],
      ['unknown event', () => send('ow1', id, { type: 'stay.shorten' }, 2), 400, /command/],
      ['bad request id', () => send('ow1', id, { type: 'note.add', text: 'x' }, 2, 'x'), 400, /requestId/],
      [
        'malformed JSON',
        () => app.inject({ method: 'POST', url: `/api/pathways/${id}/events`, headers: { ...as('ow1'), 'content-type': 'application/json' }, payload: '{"command":' }),
        400,
        /JSON/i,
      ],
    ];
    for (const [what, request, status, reason] of cases) {
      const res = await request();
      expect(res.statusCode, what).toBe(status);
      expect(res.json().error, what).toMatch(reason);
    }
    expect(state((await get('ow1', `/api/pathways/${id}`)).json())).toEqual(before);
  });

  it('lists pathways from visibility with filters, limited to the coordinator’s teams', async () => {
    const id = await newPathway();
    await eventually(async () => {
      const mine = (await get('ow1', '/api/pathways?stage=outreach')).json();
      expect(mine.map((p: { pathwayId: string }) => p.pathwayId)).toContain(id);
    });
    expect((await get('other', '/api/pathways')).json()).toEqual([]);
    expect((await get('ow1', `/api/pathways?q=${id.slice(0, 8)}`)).json()).toHaveLength(1);
    expect((await get('ow1', '/api/pathways?stage=limbo')).statusCode).toBe(400);
    expect((await get('ow1', "/api/pathways?q=x' OR 1=1")).statusCode).toBe(400);
    expect((await get('ow1', '/api/pathways?team=care-place')).statusCode).toBe(403);
  });

  it('shows stuck cases with their reasons, oldest first, and the facilities board', async () => {
    const policy = { outreach: { noContactDays: 2 / 86_400 } };
    const stuck = await startPathway(env, queue, { policy });
    const stuckId = stuck.workflowId.replace(/^pathway-/, '');
    await eventually(async () => {
      const rows = (await get('owl', '/api/stuck')).json();
      expect(rows.find((r: { pathwayId: string }) => r.pathwayId === stuckId)?.reasons).toEqual([
        { flag: 'no-contact', reason: 'no contact logged for too long' },
      ]);
    });

    // Into a stay through the API, so a facility board exists.
    const id = await newPathway({ consent: true });
    const facilityId = `api-board-${requests}`;
    await intoStay(id, facilityId);
    await eventually(async () => {
      const boards: { facilityId: string }[] = (await get('cp1', '/api/facilities')).json();
      expect(boards.find((b) => b.facilityId === facilityId)).toEqual(expect.objectContaining({ capacity: 2, occupants: [expect.objectContaining({ pathwayId: id })] }));
    });
    expect(pathwayWorkflowId(id)).toMatch(/^pathway-[0-9a-f-]{36}$/);
  });

  it('gives team leaders the stage funnel, days in stage and stays against the limit', async () => {
    const id = await newPathway({ consent: true });
    const facilityId = `api-stats-${requests}`;
    await intoStay(id, facilityId);
    const stats = await eventually(async () => {
      const s = (await get('cpl', '/api/stats')).json();
      expect(s.stays).toContainEqual({ pathwayId: id, facilityId, day: 1, limitDay: 56 });
      // Every pathway the funnel counts in a stay holds a place on some board, and no other.
      expect(s.funnel.find((f: { stage: string }) => f.stage === 'stay')).toEqual({ stage: 'stay', count: s.stays.length });
      return s;
    });
    expect(stats.daysInStage.map((d: { stage: string }) => d.stage)).toEqual(['outreach', 'assessment', 'waiting', 'stay', 'followUp']);
    // A coordinator's figures cover their own teams only.
    expect((await get('other', '/api/stats')).json().funnel.every((f: { count: number }) => f.count === 0)).toBe(true);
  });

  it('answers any malformed payload with a 4xx and a reason, never a 5xx, and changes nothing', async () => {
    const id = await newPathway({ consent: true });
    const before = state((await get('ow1', `/api/pathways/${id}`)).json());
    const valid = { command: { type: 'note.add', text: 'x' }, expectedVersion: 1, requestId: 'prop-0000-0000' };
    const body = fc.oneof(
      fc.anything(),
      fc.record({ command: fc.anything(), expectedVersion: fc.anything(), requestId: fc.anything() }, { requiredKeys: [] }),
      // One field of a valid request replaced by anything; the version stays stale, so nothing may apply.
      fc
        .constantFrom('command', 'expectedVersion', 'requestId')
        .chain((key) => fc.anything().filter((v) => !(Number.isInteger(v) && (v as number) > 1)).map((v) => ({ ...valid, [key]: v }))),
      fc.record({ command: fc.record({ type: fc.constantFrom('note.add', 'hospital.admit', 'extension.request'), text: fc.anything(), days: fc.anything() }), expectedVersion: fc.constant(1), requestId: fc.constant('prop-0000-0001') }),
    );
    await fc.assert(
      fc.asyncProperty(body, async (payload) => {
        const res = await app.inject({ method: 'POST', url: `/api/pathways/${id}/events`, headers: { ...as('ow1'), 'content-type': 'application/json' }, payload: JSON.stringify(payload) ?? 'null' });
        expect(res.statusCode, JSON.stringify(payload)).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, JSON.stringify(payload)).toBeLessThan(500);
        expect(typeof res.json().error).toBe('string');
        expect(typeof res.json().code).toBe('string');
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (payload) => {
        const res = await app.inject({ method: 'POST', url: '/api/pathways', headers: { ...as('cp1'), 'content-type': 'application/json' }, payload: JSON.stringify(payload) ?? 'null' });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      }),
      { numRuns: 100 },
    );
    expect(state((await get('ow1', `/api/pathways/${id}`)).json())).toEqual(before);
  });

  it('signs out', async () => {
    const { cookie } = await signIn('ow1'); // a session of its own, not the one other cases use
    const res = await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toMatch(/session=;/);
  });
});
