import { readdirSync, readFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, inject, it } from 'vitest';

const dir = new URL('../histories/', import.meta.url);
const histories = readdirSync(dir).filter((f) => f.endsWith('.history.bin'));
const load = (file: string) => proto.temporal.api.history.v1.History.decode(readFileSync(new URL(file, dir)));

describe('recorded pathway histories', () => {
  it('exist', () => {
    expect(histories.length).toBeGreaterThanOrEqual(2);
  });

  it.each(histories)('%s replays cleanly against the current workflow code', async (file) => {
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') }, replayName: file }, load(file));
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
