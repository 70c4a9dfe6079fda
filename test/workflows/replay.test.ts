import { readdirSync, readFileSync } from 'node:fs';
import proto from '@temporalio/proto';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { describe, expect, inject, it } from 'vitest';
import { isEncrypted } from '../../codec/aes-codec';
import { workerDataConverter } from '../../codec/data-converter';
import { testKeyring } from '../support/keys';

const dir = new URL('../histories/', import.meta.url);
const histories = readdirSync(dir).filter((f) => f.endsWith('.history.bin'));
const load = (file: string) => proto.temporal.api.history.v1.History.decode(readFileSync(new URL(file, dir)));
/** Histories recorded since payload encryption decode under the test key, as the worker would. */
const encrypted = (history: ReturnType<typeof load>) => {
  const input = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  return input ? isEncrypted(input) : false;
};

describe('recorded pathway histories', () => {
  it('exist', () => {
    expect(histories.length).toBeGreaterThanOrEqual(2);
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
