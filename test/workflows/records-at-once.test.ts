import { Context } from '@temporalio/activity';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countAuditEntries, type Records } from '../../records';
import { outreachWorker } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { settledHistory } from '../support/history';
import { fileRecords } from '../support/records';
import { devServer, taskQueue, worker } from '../support/temporal';

const { EventType } = temporal.api.enums.v1;

/** A step's record write runs in the worker inside the action's own workflow task (workflows/records-lane.ts). */
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
const scheduled = (events: (temporal.api.enums.v1.EventType | null | undefined)[]) => events.filter((t) => t === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED).length;

describe('record writes at once', () => {
  it('has an action written when it is answered, in one workflow task, with no activity of its own', async () => {
    const queue = taskQueue();
    await (await worker(env, queue)).runUntil(async () => {
      const h = await startPathway(env, queue);
      await eventually(async () => expect(await countAuditEntries(records.db, h.workflowId.slice('pathway-'.length))).toBe(1));
      await settledHistory(h);
      const before = await eventsOf(h);
      let version = 1;
      for (let i = 1; i <= 5; i++) {
        version = (await act(h, outreachWorker, { type: 'note.add', text: `note ${i}` }, { version })).version;
        // Written before the answer: nothing to wait for.
        expect(await countAuditEntries(records.db, h.workflowId.slice('pathway-'.length))).toBe(1 + i);
      }
      // One task an action, each with its write's marker: no activity, no task for a write's end.
      const added = (await eventsOf(h)).slice(before.length);
      expect(scheduled(added)).toBe(0);
      expect(added.filter((t) => t === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toHaveLength(5);
      expect(added.filter((t) => t === EventType.EVENT_TYPE_MARKER_RECORDED).length).toBeGreaterThanOrEqual(5);
    });
  });

  it('hands a write that fails in the worker to the server, which writes it, and writes the server\'s way for a minute after', async () => {
    const queue = taskQueue();
    const attempts = { local: 0, server: 0 };
    const w = await worker(env, queue, {
      activities: (real) => ({
        writeRecords: async (input) => {
          if (Context.current().info.isLocal) {
            attempts.local += 1;
            throw new Error('the store hiccups');
          }
          attempts.server += 1;
          return real.writeRecords(input);
        },
      }),
    });
    await w.runUntil(async () => {
      const h = await startPathway(env, queue);
      const pathwayId = h.workflowId.slice('pathway-'.length);
      expect((await act(h, outreachWorker, { type: 'note.add', text: 'through the hiccup' })).version).toBe(2);
      expect((await act(h, outreachWorker, { type: 'note.add', text: 'still within the minute' }, { version: 2 })).version).toBe(3);
      await eventually(async () => expect(await countAuditEntries(records.db, pathwayId)).toBe(3));
      // The start's write goes the server's way; the first action's failed at once, and the next went straight there.
      expect(attempts).toEqual({ local: 1, server: 3 });
      expect(scheduled(await eventsOf(h))).toBe(3);
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
