/**
 * A worker in a process of its own, as production runs it: the bench's client load and its
 * measurements of resident memory must not share a process with the worker. Configured by
 * the JSON in BENCH_WORKER (e-mail settings come in the environment, as for `npm run worker`);
 * talks to the bench over the IPC channel.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadMailConfig } from '../activities/mail';
import { workerDataConverter } from '../codec/data-converter';
import { keyringFromEnv } from '../codec/keyring';
import { openRecords, recordsTargetOf } from '../records';
import { createActivities } from '../worker/activities';
import { createRecordsAtOnce } from '../worker/records-at-once';
import { loadConfig } from '../worker/config';
import { createPathwayWorker } from '../worker/create-worker';
import { connectWorker } from '../worker/run';
import type { StampActivities } from './baseline-workflow';
import type { FromWorker, ToWorker, WorkerSpec } from './worker-protocol';

const send = (m: FromWorker) => process.send?.(m);

async function main() {
  const spec = JSON.parse(process.env.BENCH_WORKER ?? '') as WorkerSpec;
  // Each worker process its own embedded record store, unless the bench names a server.
  process.env.DATA_DIR = mkdtempSync(join(tmpdir(), 'bench-worker-'));
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const workers: Worker[] = [];
  const closers: (() => Promise<void>)[] = [];
  const keyring = keyringFromEnv();
  const mainIsolate = spec.workflowsInMainIsolate ? { debugMode: true } : {};
  // One store for both pathway workers of this process: an embedded PGlite folder admits one opener.
  const records = await openRecords(recordsTargetOf());
  closers.push(() => records.close());
  if (spec.pathwayQueue) {
    // The production worker, as worker/main.ts builds it.
    const { worker, close } = await connectWorker(
      loadConfig({
        TEMPORAL_ADDRESS: spec.address,
        TEMPORAL_TASK_QUEUE: spec.pathwayQueue,
        WORKFLOW_BUNDLE_PATH: spec.pathwayBundle,
        WORKER_MAX_CACHED_WORKFLOWS: spec.maxCachedWorkflows?.toString(),
      }),
      keyring,
      { records, overrides: mainIsolate },
    );
    workers.push(worker);
    closers.push(close);
  }
  if (spec.baselineQueue && spec.baselineBundle) {
    const connection = await NativeConnection.connect({ address: spec.address });
    const activities: StampActivities = { stamp: async (dueAt) => void send({ type: 'stamp', dueAt, at: Date.now() }) };
    workers.push(
      await Worker.create({
        connection,
        taskQueue: spec.baselineQueue,
        workflowBundle: { codePath: spec.baselineBundle },
        activities,
        // The baseline pays for encryption as the pathways do: the figures compare workflow code.
        dataConverter: workerDataConverter(keyring),
        ...(spec.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: spec.maxCachedWorkflows }),
        ...mainIsolate,
      }),
    );
    closers.push(() => connection.close());
  }
  if (spec.plainPathwayQueue && spec.pathwayBundle) {
    // The same pathway worker without the codec, only for the bench's encryption comparison.
    const native = await NativeConnection.connect({ address: spec.address });
    const connection = await Connection.connect({ address: spec.address });
    const client = new Client({ connection });
    const taskQueue = spec.plainPathwayQueue;
    const recordsAtOnce = createRecordsAtOnce({ client, records });
    workers.push(
      await createPathwayWorker({
        connection: native,
        namespace: 'default',
        taskQueue,
        workflowBundlePath: spec.pathwayBundle,
        activities: createActivities({ client, taskQueue, mail: loadMailConfig({}), records }),
        recordsAtOnce,
        dataConverter: {},
      }),
    );
    closers.push(async () => (await recordsAtOnce.drain(), await connection.close(), await native.close()));
  }
  process.on('message', (m: ToWorker) => {
    if (m.type === 'memory') {
      global.gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      send({ type: 'memory', rss, heapUsed });
    }
    if (m.type === 'stop') for (const w of workers) w.shutdown();
  });
  const running = Promise.all(workers.map((w) => w.run()));
  send({ type: 'ready' });
  await running;
  // The store last: the workers' closers write what still waits for it.
  for (const close of closers.reverse()) await close();
  process.disconnect?.();
}

main().catch((err) => {
  console.error('bench worker:', err);
  process.exit(1);
});
