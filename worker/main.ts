import { Runtime } from '@temporalio/worker';
import { keyringFromEnv } from '../codec/keyring';
import { ConfigError, loadConfig, telemetryOf } from './config';
import { jsonWorkerLogger } from './log';
import { connectWorker } from './run';

/**
 * Worker entrypoint. Runs until SIGINT or SIGTERM, then finishes the tasks in hand and exits
 * (the SDK's Runtime turns those signals into a graceful `worker.shutdown()`).
 */
async function main() {
  const config = loadConfig();
  const keyring = keyringFromEnv();
  Runtime.install({ logger: jsonWorkerLogger(config.WORKER_LOG_LEVEL), shutdownSignals: ['SIGINT', 'SIGTERM'], telemetryOptions: telemetryOf(config) });
  const { worker, close, mailOn } = await connectWorker(config, keyring);
  try {
    console.log(`worker: polling task queue ${config.TEMPORAL_TASK_QUEUE} on ${config.TEMPORAL_ADDRESS} (namespace ${config.TEMPORAL_NAMESPACE})`);
    if (!mailOn) console.log('worker: e-mail is off (no SMTP_URL): notices show as flags only');
    await worker.run();
    console.log('worker: stopped');
  } finally {
    await close();
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `worker: ${err.message}` : err);
  process.exit(1);
});
