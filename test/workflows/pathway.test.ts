import { WorkflowUpdateFailedError } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../machines';
import { auditQuery, placeGrantedSignal, RejectionType, viewQuery, type PathwayWorkflowView } from '../../workflows/messages';
import { carePlaceLead, carer, housingOfficer, liaison, outreachWorker, stranger } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { taskQueue, timeSkipping, worker } from '../support/temporal';

const EventType = proto.temporal.api.enums.v1.EventType;
let env: TestWorkflowEnvironment;
let w: Worker;
let running: Promise<void>;
const queue = taskQueue();

beforeAll(async () => {
  env = await timeSkipping();
  w = await worker(env, queue);
  running = w.run();
});

afterAll(async () => {
  w?.shutdown();
  await running;
  await env?.teardown();
});

const historyOf = async (h: PathwayHandle) => (await h.fetchHistory()).events ?? [];

/** The failure an Update was rejected with: its type, message and details (the refusal as data). */
async function rejection(p: Promise<unknown>) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause as { type?: string; message: string; details?: unknown[] };
  return { type: cause.type, message: cause.message, details: cause.details };
}

async function toStay(h: PathwayHandle) {
  await act(h, outreachWorker, { type: 'consent.record', given: true });
  await act(h, outreachWorker, { type: 'referral.request' });
  await act(h, liaison, { type: 'handoff.accept' });
  await act(h, liaison, { type: 'assessment.outcome', outcome: 'care-place' });
  await act(h, carer, { type: 'handoff.accept' });
  await act(h, carer, { type: 'waitlist.join', facilityId: 'skovvang' });
  await h.signal(placeGrantedSignal, { facilityId: 'skovvang' });
  return h.query(viewQuery, carer);
}

describe('the pathway workflow', () => {
  it('carries a citizen from outreach to a housed outcome', async () => {
    const h = await startPathway(env, queue);
    const stay = await toStay(h);
    expect(stay).toMatchObject({ stage: 'stay', responsibleTeam: 'care-place' });

    await act(h, carer, { type: 'dischargePlanning.start' });
    await act(h, carer, { type: 'discharge.request' });
    const followUp = await act(h, housingOfficer, { type: 'handoff.accept' });
    expect(followUp).toMatchObject({ stage: 'followUp', responsibleTeam: 'housing-support' });
    await act(h, housingOfficer, { type: 'followUp.complete', outcome: 'stable' });

    expect(await h.result()).toMatchObject({ reason: 'housed-stable' });
    const audit = await h.query(auditQuery);
    expect(audit.at(-1)).toMatchObject({ type: 'followUp.complete', by: { id: housingOfficer.id, role: 'coordinator' } });
    expect(audit.map((a) => a.type)).toContain('place.grant');
  });

  it('rejects a forbidden or impossible action with a reason and leaves history untouched', async () => {
    const h = await startPathway(env, queue);
    const view = await h.query(viewQuery, outreachWorker);
    const before = await historyOf(h);

    // Another team's coordinator is told nothing about the pathway: it is not found.
    expect(await rejection(act(h, stranger, { type: 'contact.log', outcome: 'reached' }))).toEqual({ type: RejectionType.notFound, message: 'no such pathway', details: [] });
    expect(await rejection(act(h, outreachWorker, { type: 'pathway.reassign', toTeam: 'backup', reason: 'holiday cover' }))).toEqual({
      type: RejectionType.forbidden,
      message: 'only a supervisor of outreach may do this',
      details: [{ key: 'supervisor-required', params: { team: 'outreach' } }],
    });
    expect(await rejection(act(h, outreachWorker, { type: 'hospital.admit' }))).toEqual({
      type: RejectionType.conflict,
      message: 'hospital.admit is not possible while the pathway is in outreach',
      details: [{ key: 'not-possible-in-stage', params: { event: 'hospital.admit', stage: 'outreach', step: 'working' } }],
    });
    expect(await rejection(act(h, outreachWorker, { type: 'referral.request' }))).toMatchObject({
      type: RejectionType.conflict,
      details: [{ key: 'consent-required' }],
    });
    expect(
      await rejection(act(h, outreachWorker, { type: 'contact.log', outcome: 'maybe' } as never)),
    ).toMatchObject({ type: RejectionType.invalid, message: expect.stringMatching(/^command\.outcome: /) });

    // The time-skipping server lacks speculative workflow tasks, so it writes the empty task of
    // each rejection; nothing else may appear. The dev server test checks for zero events.
    const added = (await historyOf(h)).slice(before.length).map((e) => EventType[e.eventType ?? 0]);
    expect(added.filter((t) => !/^EVENT_TYPE_WORKFLOW_TASK_(SCHEDULED|STARTED|COMPLETED)$/.test(t ?? ''))).toEqual([]);
    expect(await h.query(viewQuery, outreachWorker)).toEqual(view);
  });

  it('applies exactly one of two conflicting actions on the same version', async () => {
    const h = await startPathway(env, queue);
    const { version } = await h.query(viewQuery, outreachWorker);
    const outcomes = await Promise.allSettled([
      act(h, outreachWorker, { type: 'consent.record', given: true }, { version }),
      act(h, outreachWorker, { type: 'pathway.close', reason: 'declined' }, { version }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const failed = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect((failed.reason as WorkflowUpdateFailedError).cause).toMatchObject({ type: RejectionType.stale });
    expect((await h.query(viewQuery, outreachWorker)).version).toBe(version + 1);
  });

  it('applies a request id once, even when retried after continue-as-new', async () => {
    // A run holds two Updates here, so the third action lands in a new run.
    const h = await startPathway(env, queue, {}, { maxUpdates: 2 });
    const firstRun = (await h.describe()).runId;
    const requestId = 'click-0001-consent';
    const v1 = await act(h, outreachWorker, { type: 'consent.record', given: true }, { requestId, version: 1 });
    const again = await act(h, outreachWorker, { type: 'consent.record', given: true }, { requestId, version: 1 });
    expect(again.version).toBe(v1.version);
    await act(h, outreachWorker, { type: 'note.add', text: 'second action fills the run' });
    await waitFor(async () => (await h.describe()).runId !== firstRun);

    const third = await act(h, outreachWorker, { type: 'consent.record', given: true }, { requestId, version: 1 });
    const audit = await h.query(auditQuery);
    expect(audit.filter((a) => a.type === 'consent.record')).toHaveLength(1);
    expect(third.version).toBe(3);
  });

  it('keeps stage, deadlines and audit trail across continue-as-new', async () => {
    const h = await startPathway(env, queue, {}, { maxUpdates: 4 });
    const firstRun = (await h.describe()).runId;
    await act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' });
    await act(h, outreachWorker, { type: 'consent.record', given: true });
    await act(h, outreachWorker, { type: 'referral.request' });
    // The last action before the new run is a note: the time-skipping server stops skipping time
    // for good now and then when a run continues as new in the task after an activity's end
    // (the referral's record write), and refuses that task as "already completed".
    const before = await act(h, outreachWorker, { type: 'note.add', text: 'waiting for the liaison' });
    const auditBefore = await h.query(auditQuery);
    await waitFor(async () => (await h.describe()).runId !== firstRun);

    const after = await h.query(viewQuery, outreachWorker);
    expect(strip(after)).toEqual(strip(before));
    expect(await h.query(auditQuery)).toEqual(auditBefore);
    // The deadlines still fire in the new run: 48 hours later the handoff is overdue.
    await env.sleep(48 * 60 * 60 * 1000 + 1000);
    expect((await h.query(viewQuery, outreachWorker)).flags).toContain('handoff-overdue');
  });

  it('reads a quiet stay as of the reading time: 20 days after its last event it is day 21', async () => {
    const h = await startPathway(env, queue);
    const stay = await toStay(h);
    expect(stay.stage === 'stay' && stay.stay.day).toBe(1);
    // Nothing happens in the first 41 days of a stay, so the workflow's own clock stays at the grant.
    await env.sleep(20 * DAY);
    const now = await env.currentTimeMs();
    const read = await h.query(viewQuery, carer, now);
    expect(read.stage === 'stay' && read.stay.day).toBe(21);
    expect(read.asOf).toBe(now);
    expect(read.nextDeadline).toMatchObject({ kind: 'stay-reminder' });
    // A caller that gives no time still gets an answer: the pathway as of its latest event.
    const unread = await h.query(viewQuery, carer);
    expect(unread.stage === 'stay' && unread.stay.day).toBe(1);
    expect(unread.version).toBe(read.version);
  });

  it('raises the stay flags at the policy days under skipped time, and not before', async () => {
    const h = await startPathway(env, queue);
    const stay = await toStay(h);
    if (stay.stage !== 'stay') throw new Error('expected a stay');
    await env.sleep(stay.stay.endsAt - (await env.currentTimeMs()) - DAY);
    const near = await h.query(viewQuery, carePlaceLead);
    expect(near.flags).toContain('stay-limit-near');
    expect(near.flags).not.toContain('stay-limit-exceeded');
    await env.sleep(2 * DAY);
    const past = await h.query(viewQuery, carePlaceLead);
    expect(past.flags).toEqual(expect.arrayContaining(['stay-limit-exceeded', 'discharge-planning-late']));
  });
});

const strip = (v: PathwayWorkflowView) => ({ ...v, asOf: undefined, deadlines: v.deadlines.map((d) => ({ ...d, passed: undefined })) });

async function waitFor(predicate: () => Promise<boolean>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
