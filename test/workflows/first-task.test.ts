import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { viewQuery } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import { act, startPathway } from '../support/client';
import { devServer, taskQueue, worker } from '../support/temporal';

// On the dev server: the time-skipping server stalls while a workflow has no worker.
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServer();
});
afterAll(async () => {
  await env?.teardown();
});

it('applies an action sent before the pathway ran its first task', async () => {
  // No worker polls this queue yet, so the action reaches the workflow together with its start
  // (as when the API starts a pathway and someone acts at once while workers are busy).
  const queue = taskQueue();
  const h = await startPathway(env, queue);
  const acting = act(h, outreachWorker, { type: 'consent.record', given: true }, { version: 1 });
  await new Promise((r) => setTimeout(r, 500)); // let the Update reach the server first
  const w = await worker(env, queue);
  const view = await w.runUntil(async () => {
    const answered = await acting;
    expect((await h.query(viewQuery, outreachWorker)).version).toBe(2);
    return answered;
  });
  expect(view).toMatchObject({ version: 2, stage: 'outreach' });
});
