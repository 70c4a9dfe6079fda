import { NativeConnection, Runtime } from '@temporalio/worker';
import { ConfigError, loadConfig } from './config';
import { connectionOptions } from './connection';
import { createPathwayWorker } from './create-worker';

/**
 * Worker entrypoint. Runs until SIGINT or SIGTERM, then finishes the tasks in hand and exits
 * (the SDK's Runtime turns those signals into a graceful `worker.shutdown()`).
 */
async function main() {
  const config = loadConfig();
  Runtime.install({ shutdownSignals: ['SIGINT', 'SIGTERM'] });
  const connection = await NativeConnection.connect(connectionOptions(config));
  try {
    const worker = await createPathwayWorker({
      connection,
      namespace: config.TEMPORAL_NAMESPACE,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
    });
    console.log(`worker: polling task queue ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE})`);
    await worker.run();
    console.log('worker: stopped');
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `worker: ${err.message}` : err);
  process.exit(1);
});
