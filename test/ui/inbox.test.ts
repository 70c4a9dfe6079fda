import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../ui/server/accounts';
import { buildApp } from '../../ui/server/app';
import { hashPassword } from '../../ui/server/passwords';
import { startPathway } from '../support/client';
import { eventually } from '../support/eventually';
import { fileRecords, registerFacility } from '../support/records';
import '../support/seed';
import { devServer, taskQueue, worker } from '../support/temporal';

/** "Needs me": what waits for a person, found through visibility. */

let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
let app: FastifyInstance;
const queue = taskQueue();
const cookies: Record<string, string> = {};
const people: [string, Account['role'], string[]][] = [
  ['ow1', 'coordinator', ['outreach']],
  ['li1', 'coordinator', ['psychiatry-liaison']],
  ['cp1', 'coordinator', ['care-place']],
  ['cpl', 'supervisor', ['care-place']],
  ['owl', 'supervisor', ['outreach']],
  ['adm', 'admin', []],
];

beforeAll(async () => {
  env = await devServer();
  w = await worker(env, queue);
  running = w.run();
  const accounts = await Promise.all(people.map(async ([id, role, teams]) => ({ id, name: id, role, teams, passwordHash: await hashPassword(`pw-${id}`) })));
  app = await buildApp({ records: await fileRecords(), client: env.client, taskQueue: queue, accounts, sessionSecret: 'test-secret-test-secret-test-secret' });
  for (const [id] of people) {
    const res = await app.inject({ method: 'POST', url: '/api/session', payload: { id, password: `pw-${id}` } });
    cookies[id] = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
  w?.shutdown();
  await running;
  await env?.teardown();
});

const call = (who: string, method: 'GET' | 'POST', url: string, payload?: object) => app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload ? { payload } : {}) });
let n = 0;
async function act(who: string, id: string, command: object): Promise<number> {
  const { view } = (await call(who, 'GET', `/api/pathways/${id}`)).json();
  const res = await call(who, 'POST', `/api/pathways/${id}/events`, { command, expectedVersion: view.version, requestId: `inbox-${++n}-${Date.now()}` });
  expect(res.statusCode, JSON.stringify(command)).toBe(200);
  return res.json().view.version;
}
type Item = { pathwayId: string; kind: string; answer: string | null; handoffTo: string | null; handoffAt: number | null; citizenName: string | null };
const inbox = async (who: string) => (await call(who, 'GET', '/api/inbox')).json() as { items: Item[]; count: number };
const mine = async (who: string, id: string) => (await inbox(who)).items.filter((i) => i.pathwayId === id).map((i) => [i.kind, i.answer]);

describe('the inbox', () => {
  it('shows a handoff to the receiving team, with its sender’s time, until it is answered', async () => {
    const start = await call('ow1', 'POST', '/api/pathways', { citizenRef: 'ref-inbox-1', citizenName: 'Ib Inbox' });
    const id: string = start.json().pathwayId;
    await act('ow1', id, { type: 'consent.record', given: true });
    const before = Date.now();
    await act('ow1', id, { type: 'referral.request', note: 'met him twice at the shelter' });
    await eventually(async () => expect(await mine('li1', id)).toEqual([['handoff', 'handoff.accept']]));
    const item = (await inbox('li1')).items.find((i) => i.pathwayId === id)!;
    expect(item).toMatchObject({ handoffTo: 'psychiatry-liaison', citizenName: 'Ib Inbox' });
    expect(item.handoffAt).toBeGreaterThanOrEqual(before - 1000);
    // Not the sender's, nor another team's, nor an admin's.
    for (const who of ['ow1', 'cp1', 'adm']) expect(await mine(who, id)).toEqual([]);
    await act('li1', id, { type: 'handoff.accept' });
    await eventually(async () => expect(await mine('li1', id)).toEqual([]));
  }, 60_000);

  it('shows an extension request to the team’s supervisors, and a flagged case to its coordinator', async () => {
    const facilityId = `inbox-${Date.now()}`;
    await registerFacility(await fileRecords(), facilityId);
    const id: string = (await call('ow1', 'POST', '/api/pathways', { citizenRef: 'ref-inbox-2' })).json().pathwayId;
    await act('ow1', id, { type: 'consent.record', given: true });
    await act('ow1', id, { type: 'referral.request' });
    await act('li1', id, { type: 'handoff.accept' });
    await act('li1', id, { type: 'assessment.outcome', outcome: 'care-place' });
    await act('cp1', id, { type: 'handoff.accept' });
    await act('cp1', id, { type: 'waitlist.join', facilityId });
    await eventually(async () => expect((await call('cp1', 'GET', `/api/pathways/${id}`)).json().view.stage).toBe('stay'));
    await act('cp1', id, { type: 'extension.request', days: 7, reason: 'flat ready next week' });
    await eventually(async () => expect(await mine('cpl', id)).toEqual([['extension', 'extension.approve']]));
    expect(await mine('cp1', id)).toEqual([]);
    expect(await mine('owl', id)).toEqual([]);

    // A case its coordinator has not been in contact with for too long.
    const flagged = await startPathway(env, queue, { coordinator: 'ow1', policy: { outreach: { noContactDays: 1 / 86_400 } } });
    const flaggedId = flagged.workflowId.replace(/^pathway-/, '');
    await eventually(async () => expect(await mine('ow1', flaggedId)).toEqual([['flagged', null]]), 30_000);
    expect(await mine('owl', flaggedId)).toEqual([]);
  }, 90_000);
});
