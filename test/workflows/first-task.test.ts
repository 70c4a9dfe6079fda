import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { viewQuery } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { devServer, taskQueue, worker } from '../support/temporal';

const { EventType } = temporal.api.enums.v1;
const ADMITTED = temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED;

// On the dev server: the time-skipping server stalls while a workflow has no worker.
let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await devServer();
});
afterAll(async () => {
  await env?.teardown();
});

/** Resolves once the server has admitted the Update (it answers not-found before that). */
async function admitted(h: PathwayHandle, updateId: string) {
  const { stage } = await env.client.workflowService.pollWorkflowExecutionUpdate({
    namespace: env.namespace ?? 'default',
    updateRef: { workflowExecution: { workflowId: h.workflowId }, updateId },
    waitPolicy: { lifecycleStage: ADMITTED },
  });
  return stage;
}

const eventTypes = async (h: PathwayHandle) => ((await h.fetchHistory()).events ?? []).map((e) => e.eventType);

it('applies an action sent before the pathway ran its first task', async () => {
  // No worker polls this queue yet, so the action reaches the workflow together with its start
  // (as when the API starts a pathway and someone acts at once while workers are busy).
  const queue = taskQueue();
  const h = await startPathway(env, queue);
  const requestId = 'first-task-consent-0001';
  const acting = act(h, outreachWorker, { type: 'consent.record', given: true }, { version: 1, requestId });
  acting.catch(() => {}); // awaited below; a failure before then must not go unhandled

  // The server holds the Update while no workflow task has completed: nothing ran the workflow yet.
  expect(await eventually(() => admitted(h, requestId))).toBe(ADMITTED);
  expect(await eventTypes(h)).toEqual([EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED]);

  const w = await worker(env, queue);
  const view = await w.runUntil(async () => {
    const answered = await acting;
    expect((await h.query(viewQuery, outreachWorker)).version).toBe(2);
    return answered;
  });
  expect(view).toMatchObject({ version: 2, stage: 'outreach' });
  // The Update was accepted among the commands of the first workflow task the worker completed.
  const events = await eventTypes(h);
  const accepted = events.indexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
  expect(accepted).toBeGreaterThan(0);
  expect(events.slice(0, accepted).filter((e) => e === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toHaveLength(1);
});
