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

/** The one worker this project runs: the pathway and facility workflows and their activities. */
export function createPathwayWorker(o: PathwayWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.workflowBundlePath ? { workflowBundle: { codePath: o.workflowBundlePath } } : { workflowsPath }),
    activities: o.activities,
    ...o.overrides,
  });
}
