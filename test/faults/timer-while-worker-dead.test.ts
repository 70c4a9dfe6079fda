import { Worker } from '@temporalio/worker';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { workerDataConverter } from '../../codec/data-converter';
import { pathwayWorkflowId, viewQuery } from '../../workflows/messages';
import { outreachWorker } from '../support/actors';
import type { PathwayHandle } from '../support/client';
import { testKeyring } from '../support/keys';
import { devCluster } from '../support/dev-cluster';
import { eventually } from '../support/eventually';
import { activityEvents } from '../support/history';
import { killAllWorkers, startWorkerProcess, workerOutputs } from '../support/worker-process';

let cluster: Awaited<ReturnType<typeof devCluster>> | undefined;
afterEach(async () => {
  await killAllWorkers();
  await cluster?.close();
});

/**
 * Regression: a deadline timer fired while the pathway's (sticky) worker was dead, and the new
 * worker answered queries before the task reached it. The SDK then ran the fired timer with the
 * time of the previous task and kept the commands; the workflow judged the deadline by the clock,
 * re-armed the timer, and any later replay (cache eviction, another worker) failed with a
 * nondeterminism error: the pathway was stuck. Now a fired timer itself proves its deadline.
 */
describe('a deadline that falls due while the worker is dead and the pathway is being looked at', () => {
  it('is acted on at once, in a history a fresh worker replays', async ({ onTestFailed }) => {
    onTestFailed(() => console.log(workerOutputs()));
    cluster = await devCluster('timer-dead-worker');
    const { address, client } = cluster;
    const taskQueue = 'timer-dead-worker-test';
    const workflowBundlePath = inject('workflowBundlePath');
    const dead = await startWorkerProcess({ address, taskQueue, workflowBundlePath });
    const pathwayId = 'timer-dead';
    const h = (await client.workflow.start('pathwayWorkflow', {
      taskQueue,
      workflowId: pathwayWorkflowId(pathwayId),
      args: [{ start: { pathwayId, citizenRef: 'ref-1', team: 'outreach', by: outreachWorker, policy: { outreach: { noContactDays: 8 / 86_400 } } } }],
    })) as PathwayHandle;
    await h.query(viewQuery, outreachWorker); // its first task has run, on the worker about to die
    await dead.kill();
    const worker = await startWorkerProcess({ address, taskQueue, workflowBundlePath });

    // Someone keeps the pathway open in the UI while its timer fires into the dead worker's queue.
    const history = async () => (await h.fetchHistory()).events ?? [];
    await eventually(async () => {
      await h.query(viewQuery, outreachWorker).catch(() => undefined);
      expect(activityEvents(await history(), 'deliverNotice').completed).toHaveLength(1);
    }, 90_000);

    const events = await history();
    // The scenario happened: the task after the timer timed out on the dead worker's sticky queue.
    expect(events.some((e) => e.workflowTaskTimedOutEventAttributes)).toBe(true);
    // The notice went out on the task after the timer, not after a second, re-armed timer (the
    // timer after it is the next deadline's, the yearly review).
    const notice = events.findIndex((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'deliverNotice');
    expect(notice).toBeGreaterThan(0);
    expect(events.slice(0, notice).filter((e) => e.timerStartedEventAttributes)).toHaveLength(1);
    expect(events.some((e) => e.workflowTaskFailedEventAttributes)).toBe(false);
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: workflowBundlePath }, dataConverter: workerDataConverter(testKeyring) }, await h.fetchHistory())).resolves.toBeUndefined();
    expect((await h.query(viewQuery, outreachWorker)).flags).toContain('no-contact');
    await worker.stop();
  }, 180_000);
});
