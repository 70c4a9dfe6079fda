/**
 * A worker in a process of its own, as production runs it: the bench's client load and its
 * measurements of resident memory must not share a process with the worker. Configured by
 * the JSON in BENCH_WORKER; talks to the bench over the IPC channel.
 */
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { loadMailConfig } from '../activities/mail';
import { createActivities } from '../worker/activities';
import { createPathwayWorker } from '../worker/create-worker';
import type { StampActivities } from './baseline-workflow';
import type { FromWorker, ToWorker, WorkerSpec } from './worker-protocol';

const send = (m: FromWorker) => process.send?.(m);

async function main() {
  const spec = JSON.parse(process.env.BENCH_WORKER ?? '') as WorkerSpec;
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const native = await NativeConnection.connect({ address: spec.address });
  const connection = await Connection.connect({ address: spec.address });
  const client = new Client({ connection });
  const cache = spec.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: spec.maxCachedWorkflows };
  const workers: Worker[] = [];
  if (spec.pathwayQueue) {
    const mail = loadMailConfig(spec.mail ?? {});
    workers.push(
      await createPathwayWorker({
        connection: native,
        namespace: 'default',
        taskQueue: spec.pathwayQueue,
        workflowBundlePath: spec.pathwayBundle,
        activities: createActivities({ client, taskQueue: spec.pathwayQueue, facilityCapacity: 2, mail }),
        overrides: cache,
      }),
    );
  }
  if (spec.baselineQueue && spec.baselineBundle) {
    const activities: StampActivities = { stamp: async (dueAt) => void send({ type: 'stamp', dueAt, at: Date.now() }) };
    workers.push(
      await Worker.create({
        connection: native,
        taskQueue: spec.baselineQueue,
        workflowBundle: { codePath: spec.baselineBundle },
        activities,
        ...cache,
      }),
    );
  }
  process.on('message', (m: ToWorker) => {
    if (m.type === 'rss') send({ type: 'rss', rss: process.memoryUsage().rss });
    if (m.type === 'stop') for (const w of workers) w.shutdown();
  });
  const running = Promise.all(workers.map((w) => w.run()));
  send({ type: 'ready' });
  await running;
  await connection.close();
  await native.close();
  process.disconnect?.();
}

main().catch((err) => {
  console.error('bench worker:', err);
  process.exit(1);
});
