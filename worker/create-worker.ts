import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createNoticeActivities } from '../activities/notices';

export const workflowsPath = new URL('../workflows/index.ts', import.meta.url).pathname;

export interface PathwayWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (production, tests); without it the worker bundles the TypeScript sources. */
  workflowBundlePath?: string;
  activities?: ReturnType<typeof createNoticeActivities>;
  overrides?: Partial<WorkerOptions>;
}

/** The one worker this project runs: the pathway workflows and their activities. */
export function createPathwayWorker(o: PathwayWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.workflowBundlePath ? { workflowBundle: { codePath: o.workflowBundlePath } } : { workflowsPath }),
    activities: o.activities ?? createNoticeActivities(),
    ...o.overrides,
  });
}
