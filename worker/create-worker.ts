import { getHeapStatistics } from 'node:v8';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Activities } from './activities';

export const workflowsPath = new URL('../workflows/index.ts', import.meta.url).pathname;

export interface PathwayWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (production, tests); without it the worker bundles the TypeScript sources. */
  workflowBundlePath?: string;
  activities: Activities;
  overrides?: Partial<WorkerOptions>;
}

/**
 * How many workflows the worker keeps in memory unless told. The SDK's default assumes about
 * 1.7 MiB of heap per workflow, but a cached pathway holds about 2 MiB (`npm run bench`: the
 * SDK evaluates the workflow modules, zod schemas and the statechart, once per workflow), so
 * that default could fill the heap. Half the heap, at 2 MiB each.
 */
export function defaultCachedWorkflows(heapMiB = getHeapStatistics().heap_size_limit / 2 ** 20): number {
  return Math.max(10, Math.floor(heapMiB / 2 / 2));
}

/** The one worker this project runs: the pathway and facility workflows and their activities. */
export function createPathwayWorker(o: PathwayWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.workflowBundlePath ? { workflowBundle: { codePath: o.workflowBundlePath } } : { workflowsPath }),
    activities: o.activities,
    maxCachedWorkflows: defaultCachedWorkflows(),
    ...o.overrides,
  });
}
