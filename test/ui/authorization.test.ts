import { readFileSync } from 'node:fs';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { defaultPayloadConverter } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matrixTable } from '../../machines';
import { pageAccessLog, type Records } from '../../records';
import type { Account } from '../../ui/server/accounts';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { eventually } from '../support/eventually';
import { fileRecords, registerFacility } from '../support/records';
import '../support/seed';
import { devServer, taskQueue, worker } from '../support/temporal';

/**
 * The authorization matrix (docs/authorization.md) as the API applies it: every role, inside and
 * outside its teams, against every endpoint; out of scope answers as unknown; request ids belong
 * to their sender; four eyes on extensions; the board redacted; every read in the access log.
 */

let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
let app: FastifyInstance;
let records: Records;
const queue = taskQueue();

const people: [id: string, role: Account['role'], teams: string[]][] = [
  ['c-own', 'coordinator', ['outreach']],
  ['c-other', 'coordinator', ['elsewhere']],
  ['s-own', 'supervisor', ['outreach']],
  ['s-other', 'supervisor', ['elsewhere']],
  ['reader', 'municipal-reader', []],
  ['adm', 'admin', []],
  ['dpo', 'privacy-officer', []],
  ['li1', 'coordinator', ['psychiatry-liaison']],
  ['cp1', 'coordinator', ['care-place']],
  ['cp-lead1', 'supervisor', ['care-place']],
  ['cp-lead2', 'supervisor', ['care-place']],
  ['peer', 'peer', []],
];
type Who = (typeof people)[number][0];
const matrixPeople = ['c-own', 'c-other', 's-own', 's-other', 'peer', 'reader', 'adm', 'dpo'] as const;

const cookies: Record<string, string> = {};
const call = (who: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
  app.inject({ method, url, headers: { cookie: cookies[who] ?? '' }, ...(payload === undefined ? {} : { payload: payload as object }) });
let requests = 0;
const requestId = () => `authz-${++requests}-${Date.now()}`;
const act = (who: string, id: string, command: unknown, expectedVersion: number, rid = requestId()) =>
  call(who, 'POST', `/api/pathways/${id}/events`, { command, expectedVersion, requestId: rid });
const versionOf = async (id: string) => (await call('c-own', 'GET', `/api/pathways/${id}`)).json().view.version as number;

async function start(who: string, team: string): Promise<string> {
  const res = await call(who, 'POST', '/api/pathways', { citizenRef: `ref-${++requests}`, team });
  expect(res.statusCode).toBe(201);
  return res.json().pathwayId;
}

beforeAll(async () => {
  env = await devServer();
  w = await worker(env, queue);
  running = w.run();
  records = await fileRecords();
  const accounts = await Promise.all(people.map(async ([id, role, teams]) => ({ id, name: `Staff ${id}`, role, teams, passwordHash: await hashPassword(`pw-${id}`) })));
  app = await buildApp({ records, client: env.client, taskQueue: queue, accounts, sessionSecret: 'test-secret-test-secret-test-secret', waitMs: 500 });
  for (const [id] of people) {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { id, password: `pw-${id}` } });
    expect(res.statusCode).toBe(200);
    cookies[id] = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  w?.shutdown();
  await running;
  await env?.teardown();
});

describe('the authorization matrix', () => {
  it('is documented as the code has it', () => {
    expect(readFileSync('docs/authorization.md', 'utf8')).toContain(matrixTable());
  });

  it('holds for every role, inside and outside its teams, on every endpoint', async () => {
    const p = await start('c-own', 'outreach');
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify('x')).toString('base64') };
    const listed = async (who: string, url: string) => {
      const res = await call(who, 'GET', url);
      return res.statusCode === 200 ? (res.json() as { pathwayId: string }[]).some((r) => r.pathwayId === p) : res.statusCode;
    };
    // Each row: what each person gets; for lists, whether the outreach pathway is among the rows.
    const rows: [string, (who: Who) => Promise<number | boolean>, Record<(typeof matrixPeople)[number], number | boolean>][] = [
      ['start for outreach', async (who) => (await call(who, 'POST', '/api/pathways', { citizenRef: 'ref-x', team: 'outreach' })).statusCode,
        { 'c-own': 201, 'c-other': 403, 's-own': 201, 's-other': 403, peer: 403, reader: 403, adm: 403, dpo: 403 }],
      ['read the case', async (who) => (await call(who, 'GET', `/api/pathways/${p}`)).statusCode,
        { 'c-own': 200, 'c-other': 404, 's-own': 200, 's-other': 404, peer: 404, reader: 200, adm: 404, dpo: 404 }],
      ['its audit trail', async (who) => (await call(who, 'GET', `/api/pathways/${p}/audit`)).statusCode,
        { 'c-own': 200, 'c-other': 404, 's-own': 200, 's-other': 404, peer: 404, reader: 200, adm: 404, dpo: 404 }],
      ['add a note', async (who) => (await act(who, p, { type: 'note.add', text: 'seen today' }, await versionOf(p))).statusCode,
        { 'c-own': 200, 'c-other': 404, 's-own': 200, 's-other': 404, peer: 404, reader: 403, adm: 404, dpo: 404 }],
      ['the caseload', (who) => listed(who, '/api/pathways'), { 'c-own': true, 'c-other': false, 's-own': true, 's-other': false, peer: false, reader: true, adm: 403, dpo: 403 }],
      ['stuck cases', async (who) => (await call(who, 'GET', '/api/stuck')).statusCode, { 'c-own': 200, 'c-other': 200, 's-own': 200, 's-other': 200, peer: 200, reader: 200, adm: 403, dpo: 403 }],
      ['figures', async (who) => (await call(who, 'GET', '/api/stats')).statusCode, { 'c-own': 200, 'c-other': 200, 's-own': 200, 's-other': 200, peer: 200, reader: 200, adm: 403, dpo: 403 }],
      ['the care places board', async (who) => (await call(who, 'GET', '/api/facilities')).statusCode,
        { 'c-own': 200, 'c-other': 200, 's-own': 200, 's-other': 200, peer: 403, reader: 200, adm: 403, dpo: 403 }],
      ['reports', async (who) => (await call(who, 'GET', '/api/reports')).statusCode, { 'c-own': 200, 'c-other': 200, 's-own': 200, 's-other': 200, peer: 403, reader: 200, adm: 403, dpo: 403 }],
      ['register a team', async (who) => (await call(who, 'PUT', '/api/teams/authz-team', { name: 'Team', language: 'da', coordinators: [], supervisors: [] })).statusCode,
        { 'c-own': 403, 'c-other': 403, 's-own': 403, 's-other': 403, peer: 403, reader: 403, adm: 200, dpo: 403 }],
      ['register a partner', async (who) => (await call(who, 'PUT', '/api/partners/authz-partner', { name: 'Partner', kind: 'police', contactName: 'Vagtchef', responseDays: 2 })).statusCode,
        { 'c-own': 403, 'c-other': 403, 's-own': 403, 's-other': 403, peer: 403, reader: 403, adm: 200, dpo: 403 }],
      ['end someone’s sessions', async (who) => (await call(who, 'DELETE', '/api/sessions/nobody')).statusCode,
        { 'c-own': 403, 'c-other': 403, 's-own': 403, 's-other': 403, peer: 403, reader: 403, adm: 200, dpo: 403 }],
      ['the case’s access log', async (who) => (await call(who, 'GET', `/api/pathways/${p}/access-log`)).statusCode,
        { 'c-own': 403, 'c-other': 403, 's-own': 200, 's-other': 404, peer: 403, reader: 403, adm: 403, dpo: 200 }],
      ['the whole access log', async (who) => (await call(who, 'GET', '/api/access-log')).statusCode,
        { 'c-own': 403, 'c-other': 403, 's-own': 403, 's-other': 403, peer: 403, reader: 403, adm: 403, dpo: 200 }],
      ['decode payloads', async (who) => (await call(who, 'POST', '/api/codec/decode', { payloads: [plain] })).statusCode,
        { 'c-own': 403, 'c-other': 403, 's-own': 403, 's-other': 403, peer: 403, reader: 200, adm: 403, dpo: 403 }],
      ['encode payloads', async (who) => (await call(who, 'POST', '/api/codec/encode', { payloads: [plain] })).statusCode,
        { 'c-own': 403, 'c-other': 403, 's-own': 403, 's-other': 403, peer: 403, reader: 403, adm: 200, dpo: 403 }],
    ];
    await eventually(async () => expect(await listed('c-own', '/api/pathways')).toBe(true));
    const got: Record<string, Record<string, number | boolean>> = {};
    const want: Record<string, Record<string, number | boolean>> = {};
    for (const [what, ask, expected] of rows) {
      want[what] = expected;
      got[what] = {};
      for (const who of matrixPeople) got[what][who] = await ask(who);
    }
    expect(got).toEqual(want);
  }, 120_000);
});

describe('a pathway outside one’s scope', () => {
  it('answers exactly as an unknown one, to a read, its audit trail, its access log and an action, whatever version is sent', async () => {
    const p = await start('c-own', 'outreach');
    const unknownId = '00000000-0000-0000-0000-000000000000';
    const asked = async (who: string, id: string) => [
      await call(who, 'GET', `/api/pathways/${id}`),
      await call(who, 'GET', `/api/pathways/${id}/audit`),
      await act(who, id, { type: 'note.add', text: 'probing' }, 1),
      await act(who, id, { type: 'note.add', text: 'probing' }, 99),
    ];
    const unknown = (await asked('c-own', unknownId)).map((r) => [r.statusCode, r.body]);
    expect(unknown[0]).toEqual([404, JSON.stringify({ error: 'no such pathway', code: 'not-found' })]);
    for (const who of ['c-other', 's-other', 'adm']) expect((await asked(who, p)).map((r) => [r.statusCode, r.body])).toEqual(unknown);
    const log = await call('s-other', 'GET', `/api/pathways/${p}/access-log`);
    expect([log.statusCode, log.body]).toEqual([404, unknown[0]![1]]);
    // The case's own log says who tried: every probe from outside is a refusal.
    const probes = (await pageAccessLog(records.db, { pathwayId: p, limit: 1000 })).filter((e) => e.actor.id !== 'c-own');
    expect(new Set(probes.map((e) => e.outcome))).toEqual(new Set(['refused']));
    expect(probes.filter((e) => e.action === 'case.act')).toHaveLength(6);
    // Nothing was changed: the pathway is where it started.
    expect(await versionOf(p)).toBe(1);
  }, 60_000);
});

describe('a peer worker', () => {
  it('reaches a case only attached with the citizen’s consent: the plan and their own contacts, not notes or admissions; revoking ends it at once', async () => {
    const p = await start('c-own', 'outreach');
    const as = async (who: string, command: object) => {
      const res = await act(who, p, command, await versionOf(p));
      expect(res.statusCode, res.body).toBe(200);
    };
    await as('c-own', { type: 'note.add', text: 'GP changed the medication' });
    await as('c-own', { type: 'admissions.before', count: 2, days: 25 });
    await as('c-own', { type: 'goal.add', goal: 'swim once a week', area: 'health', reviewAt: Date.now() + 30 * 86_400_000 });
    // Attaching needs the citizen's consent for this very peer first.
    const early = await act('c-own', p, { type: 'peer.attach', peer: 'peer' }, await versionOf(p));
    expect([early.statusCode, early.json().code]).toEqual([409, 'consent-required-for']);
    await as('c-own', { type: 'consent.record', given: true, scope: 'peer', recipient: 'peer' });
    await as('c-own', { type: 'peer.attach', peer: 'peer' });

    const read = await call('peer', 'GET', `/api/pathways/${p}`);
    expect(read.statusCode).toBe(200);
    const { view, audit } = read.json();
    expect(view.goals.map((g: { text: string }) => g.text)).toEqual(['swim once a week']);
    expect(view.admissions).toEqual({ before: null, during: [] });
    expect(JSON.stringify(audit)).not.toContain('medication');
    const contact = await act('peer', p, { type: 'contact.log', outcome: 'reached', note: 'swimming together' }, view.version);
    expect(contact.statusCode, contact.body).toBe(200);
    const note = await act('peer', p, { type: 'note.add', text: 'x' }, view.version + 1);
    expect([note.statusCode, note.json().code]).toEqual([403, 'not-responsible-team']);
    await eventually(async () => {
      const list = await call('peer', 'GET', '/api/pathways');
      expect((list.json() as { pathwayId: string }[]).map((r) => r.pathwayId)).toEqual([p]);
    });
    // Their reads and actions are in the case's access log under their name, like everyone's.
    const logged = await pageAccessLog(records.db, { pathwayId: p, limit: 1000 });
    expect(logged.filter((e) => e.actor.id === 'peer').map((e) => `${e.action}:${e.outcome}`)).toEqual(
      expect.arrayContaining(['case.read:allowed', 'case.act:allowed', 'case.act:refused']),
    );

    await as('c-own', { type: 'consent.record', given: false, scope: 'peer', recipient: 'peer' });
    expect((await call('peer', 'GET', `/api/pathways/${p}`)).statusCode).toBe(404);
    expect((await act('peer', p, { type: 'contact.log', outcome: 'reached' }, await versionOf(p))).statusCode).toBe(404);
    await eventually(async () => expect((await call('peer', 'GET', '/api/pathways')).json()).toEqual([]));
  }, 60_000);
});

describe('a request id', () => {
  it('belongs to whoever sent it first: another person sending it gets 409 request-id-taken, not their view', async () => {
    const p = await start('c-own', 'outreach');
    const first = await act('c-own', p, { type: 'note.add', text: 'first' }, 1, 'shared-request-0001');
    expect(first.statusCode).toBe(200);
    const again = await act('c-own', p, { type: 'note.add', text: 'first' }, 1, 'shared-request-0001');
    expect([again.statusCode, again.json().view.version]).toEqual([200, 2]);
    const other = await act('s-own', p, { type: 'note.add', text: 'first' }, 1, 'shared-request-0001');
    expect([other.statusCode, other.json()]).toEqual([409, { error: expect.any(String), code: 'request-id-taken' }]);
    expect(await versionOf(p)).toBe(2);
  }, 60_000);
});

/** Takes a new consented outreach pathway through the API into care-place's hands, then onto the waitlist of `facilityId`. */
async function toWaitlist(facilityId: string, priority: 'normal' | 'urgent' = 'normal', citizenName?: string): Promise<string> {
  const id = citizenName
    ? (await call('c-own', 'POST', '/api/pathways', { citizenRef: `ref-${++requests}`, citizenName, team: 'outreach' })).json().pathwayId
    : await start('c-own', 'outreach');
  const steps: [string, unknown][] = [
    ['c-own', { type: 'consent.record', given: true }],
    ['c-own', { type: 'referral.request' }],
    ['li1', { type: 'handoff.accept' }],
    ['li1', { type: 'assessment.outcome', outcome: 'care-place' }],
    ['cp1', { type: 'handoff.accept' }],
    ['cp1', { type: 'waitlist.join', facilityId, priority }],
  ];
  let version = 1;
  for (const [who, command] of steps) {
    const res = await act(who, id, command, version);
    expect(res.statusCode, JSON.stringify(command)).toBe(200);
    version = res.json().view.version;
  }
  return id;
}

describe('decisions and boards', () => {
  it('has an extension decided by a supervisor other than the one who asked for it', async () => {
    const facilityId = `authz-four-eyes-${Date.now()}`;
    await registerFacility(records, facilityId, 1);
    const id = await toWaitlist(facilityId);
    const read = async () => (await call('cp-lead1', 'GET', `/api/pathways/${id}`)).json().view;
    await eventually(async () => expect((await read()).stage).toBe('stay'));
    const asked = await act('cp-lead1', id, { type: 'extension.request', days: 14, reason: 'flat ready in March' }, (await read()).version);
    expect(asked.statusCode).toBe(200);
    const version = asked.json().view.version;
    const own = await act('cp-lead1', id, { type: 'extension.approve', reason: 'fine by me' }, version);
    expect([own.statusCode, own.json().code, own.json().params]).toEqual([403, 'four-eyes', { requestedBy: 'cp-lead1' }]);
    const other = await act('cp-lead2', id, { type: 'extension.approve', reason: 'agreed' }, version);
    expect(other.statusCode).toBe(200);
    expect(other.json().view.extendedDays ?? other.json().view.stay?.extendedDays).toBe(14);
  }, 120_000);

  it('shows other teams’ occupants and waiting citizens on the board without id or priority', async () => {
    const facilityId = `authz-board-${Date.now()}`;
    await registerFacility(records, facilityId, 1);
    const inside = await toWaitlist(facilityId, 'normal', 'Olga Occupant');
    const waiting = await toWaitlist(facilityId, 'urgent', 'Walter Waiting');
    const board = async (who: string) => (await call(who, 'GET', '/api/facilities')).json().find((b: { facilityId: string }) => b.facilityId === facilityId);
    await eventually(async () => expect((await board('cp1'))?.waitlist).toHaveLength(1));
    expect(await board('cp1')).toMatchObject({
      occupants: [{ pathwayId: inside, citizenName: 'Olga Occupant', coordinator: 'cp1', day: 1, limitDay: 56 }],
      waitlist: [{ pathwayId: waiting, citizenName: 'Walter Waiting', priority: 'urgent', requestedAt: expect.any(Number) }],
    });
    const seen = await board('c-other');
    expect(seen.occupants).toEqual([{ pathwayId: null, since: expect.any(Number), endsAt: expect.any(Number), day: 1, limitDay: 56 }]);
    expect(seen.waitlist).toEqual([{ pathwayId: null, projectedAt: expect.any(Number) }]);
    const secrets = new RegExp(`${inside}|${waiting}|urgent|Olga|Walter`);
    expect(JSON.stringify(seen)).not.toMatch(secrets);
    // The handover meeting's CSV: the same, line by line.
    const mine = (await call('cp1', 'GET', '/api/facilities.csv')).body;
    expect(mine).toContain(`${facilityId},place,${inside},Olga Occupant,cp1,1/56,`);
    expect(mine).toContain(`${facilityId},waitlist 1,${waiting},Walter Waiting,`);
    const theirs = (await call('c-other', 'GET', '/api/facilities.csv')).body;
    expect(theirs).toContain(`${facilityId},place,,,,1/56,`);
    expect(theirs).not.toMatch(secrets);
  }, 180_000);
});

describe('the access log', () => {
  it('holds every read of a case, allowed or refused, every action, and who read the log, for the case’s supervisor and a citizen’s access request', async () => {
    const p = await start('c-own', 'outreach');
    await call('c-own', 'GET', `/api/pathways/${p}`);
    await call('c-other', 'GET', `/api/pathways/${p}`);
    await call('c-own', 'GET', `/api/pathways/${p}/audit`);
    await act('c-own', p, { type: 'note.add', text: 'KANARIEFUGL' }, 1);
    await act('c-own', p, { type: 'note.add', text: 'stale' }, 1);
    // A long poll that times out shows nothing new: not logged again.
    await call('c-own', 'GET', `/api/pathways/${p}?after=2`);

    const page = await call('s-own', 'GET', `/api/pathways/${p}/access-log`);
    expect(page.statusCode).toBe(200);
    const entries = page.json().entries as { actor: { id: string; role: string; teams: string[] }; action: string; outcome: string; details: Record<string, unknown> }[];
    expect(entries.map((e) => [e.actor.id, e.action, e.outcome, e.details.command ?? e.details.code ?? null])).toEqual([
      ['c-own', 'case.start', 'allowed', null],
      ['c-own', 'case.read', 'allowed', null],
      ['c-other', 'case.read', 'refused', null],
      ['c-own', 'audit.read', 'allowed', null],
      ['c-own', 'case.act', 'allowed', 'note.add'],
      ['c-own', 'case.act', 'refused', 'note.add'],
      ['s-own', 'access-log.read', 'allowed', null],
    ]);
    expect(entries[5]!.details).toMatchObject({ code: 'stale-version' });
    expect(entries[0]).toMatchObject({ actor: { id: 'c-own', role: 'coordinator', teams: ['outreach'] }, details: { correlationId: expect.any(String) } });
    expect(JSON.stringify(entries)).not.toContain('KANARIEFUGL');

    const csv = await call('dpo', 'GET', `/api/pathways/${p}/access-log.csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="access-log-${p}.csv"`);
    expect(csv.body.split('\n')[0]).toBe('id,at,actor,role,teams,action,pathway,outcome,details,hash');
    expect(csv.body).toMatch(/,c-other,coordinator,elsewhere,case\.read,[^,]+,refused,/);
    const json = await call('dpo', 'GET', `/api/pathways/${p}/access-log.json`);
    // Both exports are in it, the second one included: the log is written before it is read.
    expect(json.json().entries.map((e: { action: string }) => e.action)).toEqual([...entries.map((e) => e.action), 'access-log.export', 'access-log.export']);
  }, 60_000);

  it('holds sign-ins, refused sign-ins, sign-outs and admins’ actions, and the privacy officer finds them by person', async () => {
    await app.inject({ method: 'POST', url: '/api/session', payload: { id: 'cp1', password: 'wrong' } });
    const signIn = await app.inject({ method: 'POST', url: '/api/session', payload: { id: 'cp1', password: 'pw-cp1' } });
    const cookie = signIn.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    await app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie } });
    const mine = (await call('dpo', 'GET', '/api/access-log?actor=cp1&limit=1000')).json().entries as { action: string; outcome: string; details: Record<string, unknown> }[];
    expect(mine.filter((e) => e.action.startsWith('session.')).slice(-3).map((e) => [e.action, e.outcome, e.details.reason ?? e.details.source ?? null])).toEqual([
      ['session.sign-in', 'refused', 'wrong-password'],
      ['session.sign-in', 'allowed', 'local'],
      ['session.sign-out', 'allowed', null],
    ]);
    // An admin's actions are accounted for too.
    await call('adm', 'DELETE', '/api/sessions/cp1');
    await call('adm', 'PUT', '/api/teams/authz-logged', { name: 'Team', language: 'da', coordinators: [], supervisors: [] });
    const admin = (await call('dpo', 'GET', '/api/access-log?actor=adm&limit=1000')).json().entries as { action: string; details: Record<string, unknown> }[];
    expect(admin.slice(-2).map((e) => [e.action, e.details.account ?? e.details.team])).toEqual([
      ['account.end-sessions', 'cp1'],
      ['registry.team', 'authz-logged'],
    ]);
    expect((await call('dpo', 'GET', '/api/access-log/verify')).json()).toEqual({ broken: null });
    expect((await pageAccessLog(records.db, { actorId: 'dpo', limit: 1000 })).some((e) => e.action === 'access-log.read')).toBe(true);
  });
});
