import { readdirSync, readFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { isEncrypted } from '../../codec/aes-codec';
import { workerDataConverter } from '../../codec/data-converter';
import { testKeyring } from '../support/keys';
import { patchesIn } from '../support/history';
import { installTestRuntime } from '../support/logging';

const dir = new URL('../histories/', import.meta.url);
const histories = readdirSync(dir).filter((f) => f.endsWith('.history.bin'));
const load = (file: string) => proto.temporal.api.history.v1.History.decode(readFileSync(new URL(file, dir)));
const { EventType } = proto.temporal.api.enums.v1;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** The signals each workflow task was started with: those received since the task before it. */
function signalsPerTask(events: HistoryEvent[]): string[][] {
  const tasks: string[][] = [];
  let pending: string[] = [];
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) pending.push(e.workflowExecutionSignaledEventAttributes!.signalName!);
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) (tasks.push(pending), (pending = []));
  }
  return tasks;
}

beforeAll(() => installTestRuntime());
/** Histories recorded since payload encryption decode under the test key, as the worker would. */
const encrypted = (history: ReturnType<typeof load>) => {
  const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return input ? isEncrypted(input) : false;
};

describe('recorded pathway histories', () => {
  it('exist, for both workflows', () => {
    expect(histories.filter((f) => f.startsWith('pathway-')).length).toBeGreaterThanOrEqual(2);
    expect(histories.filter((f) => f.startsWith('facility-')).length).toBeGreaterThanOrEqual(1);
  });

  it('include the paths the facility patches guard', () => {
    // grant-rechecks-capacity: a release and the last waiting pathway's withdrawal handled in one
    // task, so the grant the release allowed finds the waitlist empty when the loop looks again.
    const facility = histories.filter((f) => f.startsWith('facility-')).map((f) => load(f).events ?? []);
    const guarded = facility.filter((events) => patchesIn(events).includes('grant-rechecks-capacity'));
    expect(guarded.some((events) => signalsPerTask(events).some((s) => s.includes('releasePlace') && s.includes('cancelRequest')))).toBe(true);
    // facility-workflows: a pathway refuses a grant it no longer waits for and hands the place back.
    const refused = histories.filter((f) => f.startsWith('pathway-')).map((f) => load(f).events ?? []);
    const handsBack = refused.filter(
      (events) =>
        patchesIn(events).includes('facility-workflows') &&
        signalsPerTask(events).flat().includes('placeGranted') &&
        events.some((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'releasePlace'),
    );
    expect(handsBack.length).toBeGreaterThanOrEqual(1);
  });

  it.each(histories)('%s replays cleanly against the current workflow code', async (file) => {
    const history = load(file);
    expect(encrypted(history)).toBe(file.includes('-encrypted'));
    await Worker.runReplayHistory(
      { workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: file, ...(encrypted(history) ? { dataConverter: workerDataConverter(testKeyring) } : {}) },
      history,
    );
  });

  it('recorded with encryption hold no plain text and do not replay without the key', async () => {
    const file = 'pathway-full-v4-encrypted.history.bin';
    expect(readFileSync(new URL(file, dir)).includes('flat ready in March')).toBe(false);
    await expect(Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: file }, load(file))).rejects.toThrow();
  });

  it('fail to replay against an incompatible change', async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: new URL('../histories/altered-workflow.ts', import.meta.url).pathname,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    });
    await expect(
      Worker.runReplayHistory({ workflowBundle: { code }, replayName: 'altered' }, load('pathway-full-v1.history.bin')),
    ).rejects.toThrow(DeterminismViolationError);
  });
});
