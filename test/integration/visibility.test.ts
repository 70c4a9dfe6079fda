import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually';
import { settledHistory } from '../support/history';
import { viewQuery } from '../../workflows/messages';
import { liaison, outreachWorker, stranger } from '../support/actors';
import { act, startPathway } from '../support/client';
import { devServer, taskQueue, worker } from '../support/temporal';

let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
const queue = taskQueue();

beforeAll(async () => {
  env = await devServer();
  w = await worker(env, queue);
  running = w.run();
});

afterAll(async () => {
  w?.shutdown();
  await running;
  await env?.teardown();
});

/** Workflow ids matching a visibility query, among this file's pathways. */
async function find(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of env.client.workflow.list({ query: `TaskQueue = '${queue}' AND ${query}` })) ids.push(wf.workflowId);
  return ids.sort();
}

/** Polls a visibility query until it returns `expected`: visibility is eventually consistent. */
const expectFound = (read: () => Promise<string[]>, expected: string[], timeoutMs?: number) =>
  eventually(async () => expect(await read()).toEqual(expected), timeoutMs);

describe('pathways on the Temporal dev server', () => {
  it('are found by stage, team and flag through visibility', async () => {
    const [a, b, c] = await Promise.all([startPathway(env, queue), startPathway(env, queue), startPathway(env, queue)]);
    for (const h of [a, b]) {
      await act(h, outreachWorker, { type: 'consent.record', given: true });
      await act(h, outreachWorker, { type: 'referral.request' });
    }
    await act(b, liaison, { type: 'handoff.accept' });
    await act(c, outreachWorker, { type: 'pathway.close', reason: 'moved' });

    await expectFound(() => find(`PathwayStage = 'assessment'`), [b.workflowId]);
    await expectFound(() => find(`PathwayStage = 'outreach'`), [a.workflowId]);
    await expectFound(() => find(`PathwayFlags = 'handoff-pending'`), [a.workflowId]);
    await expectFound(() => find(`PathwayTeam = 'psychiatry-liaison' AND ExecutionStatus = 'Running'`), [b.workflowId]);
    await expectFound(() => find(`PathwayStage = 'closed' AND ExecutionStatus = 'Completed'`), [c.workflowId]);
    await expectFound(() => find(`PathwayNextDeadline < '2999-01-01T00:00:00Z' AND PathwayStage = 'assessment'`), [b.workflowId]);
    // The kind of that deadline, as the view names it (the caseload's deadline column).
    const next = (await b.query(viewQuery, liaison)).deadlines.find((d) => !d.passed);
    expect(next).toBeDefined();
    await expectFound(() => find(`PathwayNextDeadlineKind = '${next!.kind}' AND PathwayStage = 'assessment'`), [b.workflowId]);
  });

  it('writes no history event for a rejected action', async () => {
    const h = await startPathway(env, queue);
    await h.query(viewQuery, outreachWorker);
    await settledHistory(h); // its first record write done: no event is due from it
    const before = (await h.fetchHistory()).events?.length;
    await expect(act(h, stranger, { type: 'contact.log', outcome: 'reached' })).rejects.toThrow();
    await expect(act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' }, { version: 99 })).rejects.toThrow();
    expect((await h.fetchHistory()).events?.length).toBe(before);
  });

  it('keeps names and personal ID numbers out of ids and search attributes', async () => {
    const h = await startPathway(env, queue);
    await act(h, outreachWorker, { type: 'note.add', text: 'Jens Hansen, CPR 010190-1234, seen at the station' });
    const described = await h.describe();
    const visible = JSON.stringify({ id: described.workflowId, sa: described.typedSearchAttributes, memo: described.memo });
    expect(visible).not.toMatch(/Jens|Hansen|010190/);
    expect(described.workflowId).toMatch(/^pathway-[A-Za-z0-9-]+$/);
  });
});

describe('stuck cases on the dev server', () => {
  it('are found by PathwayFlags when a handoff waits too long or contact stalls, and clear when resolved', async () => {
    // Real clock here, so the rules are seconds long: 1.8 s handoff reminder, 3.6 s escalation, 8 s without contact.
    const policy = { handoff: { reminderHours: 0.0005, escalationHours: 0.001 }, outreach: { noContactDays: 8 / 86_400 } };
    const [handoff, quiet] = await Promise.all([startPathway(env, queue, { policy }), startPathway(env, queue, { policy })]);
    const ours = (query: string) => find(`WorkflowId IN ('${handoff.workflowId}', '${quiet.workflowId}') AND ${query}`);
    await act(handoff, outreachWorker, { type: 'consent.record', given: true });
    await act(handoff, outreachWorker, { type: 'referral.request' });

    await expectFound(() => ours(`PathwayFlags = 'handoff-overdue'`), [handoff.workflowId]);
    await expectFound(() => ours(`PathwayFlags = 'no-contact'`), [handoff.workflowId, quiet.workflowId].sort());

    await act(handoff, liaison, { type: 'handoff.accept' });
    await expectFound(() => ours(`PathwayFlags IN ('handoff-overdue', 'handoff-pending')`), []);
    // A logged contact clears the flag (until the next 8 s pass without one).
    await act(quiet, outreachWorker, { type: 'contact.log', outcome: 'reached' });
    await expectFound(() => ours(`PathwayFlags = 'no-contact' AND PathwayStage = 'outreach'`), [], 6_000);
  }, 30_000);
});
