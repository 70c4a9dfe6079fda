import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outreachWorker } from '../support/actors';
import { act, actAcrossRunEnd, startPathway } from '../support/client';
import { eventually } from '../support/eventually';
import { localActivities, patchesIn, replays, settledHistory } from '../support/history';
import { devServer, taskQueue, worker } from '../support/temporal';

/** A run asks one patch for all it knew at the fold (workflows/patches.ts), not each in its first task. */
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServer();
});
afterAll(async () => {
  await env?.teardown();
});

describe("a run's patches", () => {
  it("are the fold's one marker and each later patch's in a new pathway and in each run it continues as, with every patched behaviour on", async () => {
    const queue = taskQueue();
    await (await worker(env, queue)).runUntil(async () => {
      // A run holds two Updates here, so the referral lands in a second run.
      const h = await startPathway(env, queue, {}, { maxUpdates: 2 });
      const firstRun = (await h.describe()).runId;
      await act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' });
      await act(h, outreachWorker, { type: 'consent.record', given: true });
      await eventually(async () => expect((await h.describe()).runId).not.toBe(firstRun));
      await act(h, outreachWorker, { type: 'referral.request' });
      await settledHistory(h);

      const first = await env.client.workflow.getHandle(h.workflowId, firstRun).fetchHistory();
      const second = await h.fetchHistory();
      // Each patch asked on its own was a marker and an upsert: 13 of each in a run's first task.
      // One patch came after the fold, and is asked on its own.
      expect(patchesIn(first.events ?? [])).toEqual(['patches-through-v8', 'runs-of-1200-events']);
      expect(patchesIn(second.events ?? [])).toEqual(['patches-through-v8', 'runs-of-1200-events']);
      // Behind a patch the run no longer asks: the receiving team is published (`handoff-visibility`),
      // and the notice goes out in the referral's task (`notices-in-task`, a local activity).
      const { searchAttributes } = await h.describe();
      expect(searchAttributes.PathwayHandoffTo).toEqual(['psychiatry-liaison']);
      expect(await localActivities(h)).toBeGreaterThanOrEqual(1);
      await replays(h);
    });
  });

  it('let a new pathway run past 600 events to 1,200 before it continues as new (a run recorded before ends at 600: test/histories)', async () => {
    const queue = taskQueue();
    await (await worker(env, queue)).runUntil(async () => {
      const h = await startPathway(env, queue);
      const firstRun = (await h.describe()).runId;
      const eventsIn = async (runId: string) => (await env.client.workflow.getHandle(h.workflowId, runId).fetchHistory()).events?.length ?? 0;
      // Ten notes at a time until the first run is over: it passes 600 events still running.
      let longest = 0;
      while ((await h.describe()).runId === firstRun) {
        for (let i = 0; i < 10; i++) await actAcrossRunEnd(h, outreachWorker, { type: 'note.add', text: 'a note' });
        if ((await h.describe()).runId === firstRun) longest = await eventsIn(firstRun);
      }
      expect(longest).toBeGreaterThan(1_100);
      // It ends once it holds 1,200 events, with the task that continues it as new.
      expect(await eventsIn(firstRun)).toBeGreaterThanOrEqual(1_200);
      expect(await eventsIn(firstRun)).toBeLessThan(1_240);
    });
  }, 120_000);
});

