import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { workerDataConverter } from '../../codec/data-converter';
import { viewQuery } from '../../workflows/messages';
import { promote, replayGate } from '../../worker/replay-gate';
import { outreachWorker } from '../support/actors';
import { act, startPathway, type PathwayHandle } from '../support/client';
import { eventually } from '../support/eventually';
import { testKeyring } from '../support/keys';
import { devServer, taskQueue, worker } from '../support/temporal';

/**
 * A rolling upgrade as docs/deployment.md describes it, on the dev server: v1 runs the pathways,
 * v2 starts beside it, the replay gate replays their recorded histories against v2's code, v2 is
 * made current, v1 stops, and every pathway goes on under v2. Code that would change a recorded
 * path fails the gate.
 */
let env: TestWorkflowEnvironment;
const queue = taskQueue();
const deployment = `care-pathways-${randomUUID().slice(0, 8)}`;
const running: { w: Worker; done: Promise<void> }[] = [];
const replayOptions = { workflowBundle: { codePath: inject('workflowBundlePath') }, dataConverter: workerDataConverter(testKeyring) };

async function startVersion(buildId: string) {
  const w = await worker(env, queue, { deployment: { name: deployment, buildId } });
  const entry = { w, done: w.run() };
  running.push(entry);
  return entry;
}
const buildOf = async (h: PathwayHandle) => (await h.describe()).raw.workflowExecutionInfo?.versioningInfo?.deploymentVersion?.buildId;
const identity = 'versioning-test';

beforeAll(async () => {
  env = await devServer();
});

afterAll(async () => {
  for (const { w, done } of running) {
    if (w.getState() === 'RUNNING') w.shutdown();
    await done;
  }
  await env?.teardown();
});

describe('a rolling upgrade', () => {
  it('moves running pathways from v1 to v2 once v2 passes the replay gate, and refuses code that changes a recorded path', async () => {
    const v1 = await startVersion('v1');
    await eventually(() => promote(env.client, { namespace: 'default', deploymentName: deployment, buildId: 'v1', identity }), 20_000);
    const pathways = await Promise.all([0, 1, 2].map(() => startPathway(env, queue)));
    for (const h of pathways) await act(h, outreachWorker, { type: 'contact.log', outcome: 'reached' });
    for (const h of pathways) expect(await buildOf(h)).toBe('v1');

    await startVersion('v2');
    const gate = await replayGate(env.client, replayOptions);
    expect(gate.failed).toEqual([]);
    expect(gate.replayed).toBeGreaterThanOrEqual(3);

    // A build that would wait a minute before every pathway's first step: the gate stops it.
    const { code } = await bundleWorkflowCode({
      workflowsPath: new URL('../histories/altered-workflow.ts', import.meta.url).pathname,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    });
    const altered = await replayGate(env.client, { ...replayOptions, workflowBundle: { code } });
    expect(altered.failed.length).toBeGreaterThanOrEqual(3);
    expect(altered.failed[0]!.error).toMatch(/nondetermin|determinism/i);

    await eventually(() => promote(env.client, { namespace: 'default', deploymentName: deployment, buildId: 'v2', identity }), 20_000);
    v1.w.shutdown();
    await v1.done;
    for (const h of pathways) {
      const view = await act(h, outreachWorker, { type: 'note.add', text: 'after the upgrade' });
      expect(view.version).toBe(3);
      expect(await buildOf(h)).toBe('v2');
      const read = await h.query(viewQuery, outreachWorker);
      expect(read.stage === 'outreach' && read.lastContactAt).toBeGreaterThan(0);
    }
  }, 120_000);
});
