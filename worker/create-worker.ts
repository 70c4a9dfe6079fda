import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { failureConverterPath } from '../codec/data-converter';
import { ConfigError } from '../config/env';
import { REFUSED_PAYLOAD } from '../workflows/refused-payloads';
import type { Activities } from './activities';
import { recordSinks, type RecordsAtOnce } from './records-at-once';
import { correlationActivityInterceptor } from './correlation';

export const workflowsPath = new URL('../workflows/index.ts', import.meta.url).pathname;
/** Keeps payloads the codec refused away from every handler (see the module). */
const refusedPayloadsInterceptor = new URL('../workflows/refused-payloads.ts', import.meta.url).pathname;
/** Carries a request's correlation id from its Update on to the activities it causes. */
const correlationInterceptor = new URL('../workflows/correlation.ts', import.meta.url).pathname;

/**
 * Modules evaluated once per worker and shared by every cached workflow, instead of once per
 * workflow: the statechart, the zod schemas and their libraries were most of a pathway's
 * memory (`npm run bench`, memory). The SDK deep-freezes them, so they hold no state of their
 * own; `test/workflows/shared-modules.test.ts` runs every command through them frozen.
 */
export const sharedWorkflowModules = [new URL('../workflows/shared-modules.ts', import.meta.url).pathname];

/** What every workflow bundle is built from: `bundleWorkflowCode({ ...workflowBundleOptions })`. */
export const workflowBundleOptions = {
  workflowsPath,
  workflowInterceptorModules: [refusedPayloadsInterceptor, correlationInterceptor],
  failureConverterPath,
  preloadModules: sharedWorkflowModules,
};

export interface PathwayWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** A prebuilt bundle (production, tests); without it the worker bundles the TypeScript sources. */
  workflowBundlePath?: string;
  activities: Activities;
  /** How a step's records are written at once from the worker (`createRecordsAtOnce`, worker/records-at-once.ts). */
  recordsAtOnce: RecordsAtOnce;
  /** `workerDataConverter(keyring)` (codec/data-converter.ts); a bare `{}` only in the bench's comparison. */
  dataConverter: DataConverter;
  /** The Worker Deployment version this worker is (WORKER_BUILD_ID); absent: unversioned. */
  deployment?: { name: string; buildId: string };
  overrides?: Partial<WorkerOptions>;
}

/**
 * How many workflows the worker keeps in memory unless told: half the heap, at 256 KiB each.
 * A cached pathway holds about 110 KiB of heap (`npm run bench`, memory) now that the modules
 * are shared, so this leaves room; the SDK's default assumes 1.7 MiB and would evict, and
 * replay, fifteen times as often.
 */
export function defaultCachedWorkflows(heapMiB = getHeapStatistics().heap_size_limit / 2 ** 20): number {
  return Math.max(10, Math.floor((heapMiB / 2) * 4));
}

/** The one worker this project runs: the pathway and facility workflows and their activities. */
export async function createPathwayWorker(o: PathwayWorkerOptions): Promise<Worker> {
  // A bundle built without workflowBundleOptions would let refused payloads reach the handlers.
  if (o.workflowBundlePath && !readFileSync(o.workflowBundlePath, 'utf8').includes(REFUSED_PAYLOAD)) {
    throw new ConfigError(`the workflow bundle ${o.workflowBundlePath} predates payload encryption: rebuild it with \`npm run build:workflows\``);
  }
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.workflowBundlePath
      ? { workflowBundle: { codePath: o.workflowBundlePath } }
      : { workflowsPath, bundlerOptions: { preloadModules: sharedWorkflowModules } }),
    interceptors: {
      ...(o.workflowBundlePath ? {} : { workflowModules: workflowBundleOptions.workflowInterceptorModules }),
      activity: [correlationActivityInterceptor],
    },
    activities: o.activities,
    sinks: recordSinks(o.recordsAtOnce),
    dataConverter: o.dataConverter,
    maxCachedWorkflows: defaultCachedWorkflows(),
    // Months-long pathways cannot stay pinned to the build they started on: they follow the
    // current version at their next task, which patched() and the replay gate make safe.
    ...(o.deployment
      ? {
          workerDeploymentOptions: {
            version: { deploymentName: o.deployment.name, buildId: o.deployment.buildId },
            useWorkerVersioning: true,
            defaultVersioningBehavior: 'AUTO_UPGRADE',
          },
        }
      : {}),
    ...o.overrides,
  });
}
