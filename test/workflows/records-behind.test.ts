import { Context } from '@temporalio/activity';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAuditEntries, getPathwayRecord, pageAuditEntries, type Records } from '../../records';
import { flushRecordsUpdate } from '../../workflows/messages';
import { BEHIND } from '../../workflows/records-lane';
import { liaison, outreachWorker } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { activityEvents, localActivities, replays, settledHistory } from '../support/history';
import { fileRecords } from '../support/records';
import { devServer, taskQueue, worker } from '../support/temporal';

const { EventType } = temporal.api.enums.v1;

/** A step hands its record write to the worker; the durable write follows in batches (workflows/records-lane.ts, 'behind'). */
let env: TestWorkflowEnvironment;
let records: Records;
beforeAll(async () => {
  env = await devServer();
  records = await fileRecords();
});
afterAll(async () => {
  await env?.teardown();
});

const eventsOf = async (h: PathwayHandle) => ((await h.fetchHistory()).events ?? []).map((e) => e.eventType);
/** The durable record writes a pathway has made. */
const durableWrites = async (h: PathwayHandle) => activityEvents((await h.fetchHistory()).events ?? [], 'writeRecords').scheduled;
const count = (events: (temporal.api.enums.v1.EventType | null | undefined)[], type: temporal.api.enums.v1.EventType) => events.filter((t) => t === type).length;
const idOf = (h: PathwayHandle) => h.workflowId.slice('pathway-'.length);
const storedTypes = async (h: PathwayHandle) => (await pageAuditEntries(records.db, idOf(h))).map((e) => e.type);


/** Notes `from`..`to`, each on the version the last left. */
async function notes(h: PathwayHandle, from: number, to: number, version: number) {
  for (let i = from; i <= to; i++) version = (await act(h, outreachWorker, { type: 'note.add', text: `note ${i}` }, { version })).version;
  return version;
}

describe('record writes behind', () => {
  it('answers an action in one workflow task with nothing in history for its write, which the worker makes a moment later', async () => {
    const queue = taskQueue();
    await (await worker(env, queue)).runUntil(async () => {
      const h = await startPathway(env, queue);
      await eventually(async () => expect(await countAuditEntries(records.db, idOf(h))).toBe(1));
      await settledHistory(h);
      const before = await eventsOf(h);
      await notes(h, 1, 5, 1);
      await eventually(async () => expect(await countAuditEntries(records.db, idOf(h))).toBe(6));
      const added = (await eventsOf(h)).slice(before.length);
      expect(count(added, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(5);
      expect(count(added, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).toBe(0);
      expect(await localActivities(h)).toBe(0);
    });
  });

  it(`follows with the durable write every ${BEHIND} entries, which replaces what the worker wrote`, async () => {
    const queue = taskQueue();
    // The worker's writes come out marked, to tell them from the durable write's.
    const w = await worker(env, queue, {
      recordsAtOnce: (real) => ({ write: (input) => real.write({ ...input, entries: input.entries.map((e) => ({ ...e, type: 'at-once' })) }) }),
    });
    await w.runUntil(async () => {
      const h = await startPathway(env, queue);
      await settledHistory(h);
      const writesBefore = await durableWrites(h);
      const version = await notes(h, 1, BEHIND - 1, 1);
      await eventually(async () => expect(await storedTypes(h)).toEqual(['pathway.start', ...Array<string>(BEHIND - 1).fill('at-once')]));
      expect(await durableWrites(h)).toBe(writesBefore);
      await notes(h, BEHIND, BEHIND, version);
      await eventually(async () => expect(await storedTypes(h)).toEqual(['pathway.start', ...Array<string>(BEHIND).fill('note.add')]));
      expect(await durableWrites(h)).toBe(writesBefore + 1);
      await replays(h);
    });
  });

  /** Consent and a referral (no stage changes), then the handoff's acceptance, which moves the pathway to assessment. */
  async function toAssessment(h: PathwayHandle) {
    let { version } = await act(h, outreachWorker, { type: 'consent.record', given: true }, { version: 1 });
    ({ version } = await act(h, outreachWorker, { type: 'referral.request' }, { version }));
    await settledHistory(h);
    const before = { durable: await durableWrites(h), local: await localActivities(h) };
    await act(h, liaison, { type: 'handoff.accept' }, { version });
    return before;
  }
  const stagesStored = async (h: PathwayHandle) => (await getPathwayRecord(records.db, idOf(h)))?.history.stages.map((s) => s.stage);

  it('writes the record, with what is behind, in the task of the step that changes it, before the action is answered', async () => {
    const queue = taskQueue();
    await (await worker(env, queue)).runUntil(async () => {
      const h = await startPathway(env, queue);
      await settledHistory(h);
      const before = await toAssessment(h);
      // Answered: the store already has the new stage and all four entries, from the step's local activity.
      expect(await stagesStored(h)).toEqual(['outreach', 'assessment']);
      expect(await countAuditEntries(records.db, idOf(h))).toBe(4);
      await settledHistory(h);
      expect(await localActivities(h)).toBe(before.local + 1);
      expect(await durableWrites(h)).toBe(before.durable);
      await replays(h);
    });
  });

  it('writes the record the durable way when the write in the step fails', async () => {
    const queue = taskQueue();
    const w = await worker(env, queue, {
      activities: (real) => ({
        writeRecords: async (input) => {
          if (Context.current().info.isLocal) throw new Error('the store hiccups');
          return real.writeRecords(input);
        },
      }),
    });
    await w.runUntil(async () => {
      const h = await startPathway(env, queue);
      await settledHistory(h);
      const before = await toAssessment(h);
      await eventually(async () => expect(await stagesStored(h)).toEqual(['outreach', 'assessment']));
      expect(await countAuditEntries(records.db, idOf(h))).toBe(4);
      expect(await durableWrites(h)).toBe(before.durable + 1);
      await replays(h);
    });
  });

  it('asks the pathway for its durable write when a write at once is lost, and is refused, leaving no trace, when nothing is behind', async () => {
    const queue = taskQueue();
    const w = await worker(env, queue, { recordsAtOnce: () => ({ write: async () => Promise.reject(new Error('the store hiccups')) }) });
    await w.runUntil(async () => {
      const h = await startPathway(env, queue);
      await settledHistory(h);
      await act(h, outreachWorker, { type: 'note.add', text: 'through the hiccup' }, { version: 1 });
      await eventually(async () => expect(await storedTypes(h)).toEqual(['pathway.start', 'note.add']));
      await settledHistory(h);
      const length = (await h.describe()).historyLength;
      await expect(h.executeUpdate(flushRecordsUpdate)).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      expect((await h.describe()).historyLength).toBe(length);
      await replays(h);
    });
  });

  it('writes again, with its next step, what a worker that died took but never wrote', async () => {
    const queue = taskQueue();
    // A worker killed while its write waits: the action is answered, and the write never happens.
    const dying = await worker(env, queue, { recordsAtOnce: () => ({ write: () => new Promise<void>(() => {}) }) });
    const h = await dying.runUntil(async () => {
      const h = await startPathway(env, queue);
      await eventually(async () => expect(await storedTypes(h)).toEqual(['pathway.start']));
      await notes(h, 1, 2, 1);
      return h;
    });
    expect(await storedTypes(h)).toEqual(['pathway.start']);
    // The next worker replays the pathway, and its first step hands over all that is behind.
    await (await worker(env, queue)).runUntil(async () => {
      await act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' }, { version: 3 });
      await eventually(async () => expect(await storedTypes(h)).toEqual(['pathway.start', 'note.add', 'note.add', 'contact.log']));
      await replays(h);
    });
  });

  it('carries what is behind into the next run, which starts no write for it and writes it the durable way with its batch', async () => {
    const queue = taskQueue();
    const w = await worker(env, queue, {
      recordsAtOnce: (real) => ({ write: (input) => real.write({ ...input, entries: input.entries.map((e) => ({ ...e, type: 'at-once' })) }) }),
    });
    await w.runUntil(async () => {
      const carriedOver = BEHIND - 5;
      const h = await startPathway(env, queue, {}, { maxUpdates: carriedOver });
      const firstRun = (await h.describe()).runId;
      let version = await notes(h, 1, carriedOver, 1);
      // The server may hold a new run's first task back for a moment (runs that end within a second of their start).
      await eventually(async () => {
        expect((await h.describe()).runId).not.toBe(firstRun);
        expect(await eventsOf(h)).toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      });
      await settledHistory(h);
      // The new run's first task started no durable write: the notes stay behind, as the worker wrote them.
      expect(await durableWrites(h)).toBe(0);
      await eventually(async () => expect(await storedTypes(h)).toEqual(['pathway.start', ...Array<string>(carriedOver).fill('at-once')]));
      version = await notes(h, carriedOver + 1, BEHIND, version);
      await eventually(async () => expect(await storedTypes(h)).toEqual(['pathway.start', ...Array<string>(BEHIND).fill('note.add')]));
      expect(await durableWrites(h)).toBe(1);
      await replays(h);
    });
  });

  it('keeps a workflow stack trace to three frames', async () => {
    const queue = taskQueue();
    await (await worker(env, queue)).runUntil(async () => {
      const h = await startPathway(env, queue);
      const trace: string = await h.query('__stack_trace');
      const stacks = trace.split('\n\n').filter((s) => s.trim() !== '');
      expect(stacks.length).toBeGreaterThan(0);
      for (const s of stacks) expect(s.split('\n').filter((l) => l.trim().startsWith('at ')).length).toBeLessThanOrEqual(3);
    });
  });
});
