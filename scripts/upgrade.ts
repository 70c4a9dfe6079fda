/**
 * `npm run upgrade -- <build id>`: the last step of a rolling upgrade (docs/deployment.md,
 * "Upgrading"). With the new build's workers already polling beside the old ones, it replays the
 * recorded histories of the running pathways and facilities against this checkout's workflow
 * code (the new build's), and only if every one replays makes that build the deployment's current
 * version. Exits 1, changing nothing, when a replay fails.
 */
import { Client, Connection } from '@temporalio/client';
import { clientDataConverter, workerDataConverter } from '../codec/data-converter';
import { keyringFromEnv } from '../codec/keyring';
import { loadConfig } from '../worker/config';
import { connectionOptions } from '../worker/connection';
import { workflowBundleOptions } from '../worker/create-worker';
import { promote, replayGate } from '../worker/replay-gate';

const buildId = process.argv[2] ?? process.env.WORKER_BUILD_ID;
if (!buildId) {
  console.error('usage: npm run upgrade -- <build id> (the WORKER_BUILD_ID the new workers run)');
  process.exit(2);
}
const config = loadConfig();
const keyring = keyringFromEnv();
const connection = await Connection.connect(connectionOptions(config));
const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE, dataConverter: clientDataConverter(keyring) });
const bundle = config.WORKFLOW_BUNDLE_PATH
  ? { workflowBundle: { codePath: config.WORKFLOW_BUNDLE_PATH } }
  : { workflowsPath: workflowBundleOptions.workflowsPath, interceptors: { workflowModules: workflowBundleOptions.workflowInterceptorModules } };
const gate = await replayGate(client, { ...bundle, dataConverter: workerDataConverter(keyring) });
console.log(`replay gate: ${gate.replayed} running histories replayed, ${gate.failed.length} failed`);
for (const f of gate.failed) console.error(`  ${f.workflowId} (${f.runId}): ${f.error}`);
if (gate.failed.length > 0) {
  console.error(`upgrade: ${buildId} is not made current; keep the old build serving`);
  await connection.close();
  process.exit(1);
}
try {
  await promote(client, { namespace: config.TEMPORAL_NAMESPACE, deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId, identity: 'npm run upgrade' });
} catch (err) {
  // The server knows a version only once its workers poll: the usual mistake is running this first.
  console.error(`upgrade: ${buildId} could not be made current: ${(err as Error).message}`);
  console.error(`  are workers with WORKER_BUILD_ID=${buildId} and WORKER_DEPLOYMENT_NAME=${config.WORKER_DEPLOYMENT_NAME} running and polling?`);
  await connection.close();
  process.exit(1);
}
console.log(`upgrade: ${buildId} is the current version of ${config.WORKER_DEPLOYMENT_NAME}; running pathways move to it at their next task`);
await connection.close();
