/**
 * `npm start`: the embedded default on one machine. Starts the Temporal dev server on a
 * SQLite file under data/ (kept across restarts), then the worker and the web UI with its
 * API on one port, prints where everything listens, and stops it all cleanly on Ctrl-C.
 * With TEMPORAL_EMBEDDED=false it runs the worker and API against the cluster the
 * TEMPORAL_* variables name; with START_WORKER=false too, the API alone (workers run apart).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Runtime } from '@temporalio/worker';
import { z } from 'zod';
import { keyringFromEnv } from '../codec/keyring';
import { ConfigError, parseEnv } from '../config/env';
import { ensurePrivateDir, tightenFiles } from '../config/private-files';
import { loadConfig, telemetryOf } from '../worker/config';
import { watchedAccounts } from '../ui/server/accounts';
import { buildApp } from '../ui/server/app';
import { correlationClientInterceptor } from '../ui/server/correlation';
import { loadOidcSettings } from '../ui/server/oidc-settings';
import { cprHashKey, loadApiSettings, sessionSecret } from '../ui/server/settings';
import { describeTarget, openRecords, recordsTargetOf } from '../records';
import { jsonWorkerLogger } from '../worker/log';
import { connectClient, connectWorker } from '../worker/run';
import { startDevServer } from './dev-server';
import { applyRetention, retentionDays } from './retention';

const StartSchema = z.object({
  TEMPORAL_EMBEDDED: z.enum(['true', 'false']).default('true'),
  TEMPORAL_UI_PORT: z.coerce.number().int().min(1).max(65535).default(8233),
  START_WORKER: z.enum(['true', 'false']).default('true'),
});

async function main() {
  const config = loadConfig();
  const start = parseEnv(StartSchema, process.env, 'configuration');
  const api = loadApiSettings();
  const oidc = loadOidcSettings();
  const retention = retentionDays();
  const accounts = watchedAccounts(api.ACCOUNTS_PATH);
  accounts(); // a broken file stops start-up here, with its reason
  const embedded = start.TEMPORAL_EMBEDDED === 'true';
  // data/ holds the database, keys, accounts and session secret: ours alone (files from older versions too).
  ensurePrivateDir(api.DATA_DIR);
  tightenFiles(api.DATA_DIR);
  // The embedded default makes its own key on first start; a cluster's workers must share theirs (PAYLOAD_KEYS).
  const keyring = keyringFromEnv({ ...process.env, DATA_DIR: api.DATA_DIR }, embedded);
  const webHost = ['127.0.0.1', '0.0.0.0', '::', 'localhost'].includes(api.HOST) ? 'localhost' : api.HOST;
  const uiOrigins = embedded ? [`http://localhost:${start.TEMPORAL_UI_PORT}`, `http://127.0.0.1:${start.TEMPORAL_UI_PORT}`] : [];
  Runtime.install({ logger: jsonWorkerLogger(config.WORKER_LOG_LEVEL), shutdownSignals: [], telemetryOptions: telemetryOf(config) }); // we handle signals, to stop the server after the worker

  let server: Awaited<ReturnType<typeof startDevServer>> | undefined;
  if (embedded) {
    const [host, port] = config.TEMPORAL_ADDRESS.split(':');
    if (host !== 'localhost' && host !== '127.0.0.1') {
      throw new ConfigError(`TEMPORAL_ADDRESS=${config.TEMPORAL_ADDRESS} names a remote server: set TEMPORAL_EMBEDDED=false to use it`);
    }
    const dbFile = resolve(api.DATA_DIR, 'temporal.db');
    server = await startDevServer({
      port: Number(port),
      uiPort: start.TEMPORAL_UI_PORT,
      dbFile,
      namespace: config.TEMPORAL_NAMESPACE,
      uiCodecEndpoint: `http://${webHost}:${api.PORT}/api/codec`,
    });
    console.log(`temporal: dev server on ${config.TEMPORAL_ADDRESS}, state in ${dbFile}`);
    console.log(`temporal: web UI on http://localhost:${start.TEMPORAL_UI_PORT} (payloads decode for staff signed in at http://${webHost}:${api.PORT})`);
  }

  // One store for the worker's activities and the API: an embedded PGlite folder admits one process.
  const target = recordsTargetOf();
  const records = await openRecords(target);
  console.log(`records: ${describeTarget(target)}`);
  const interceptors = { workflow: [correlationClientInterceptor] };
  if (start.START_WORKER === 'false' && embedded) throw new ConfigError('START_WORKER=false needs TEMPORAL_EMBEDDED=false: the embedded server has no other worker');
  const { worker, client, close, mailOn } =
    start.START_WORKER === 'true'
      ? await connectWorker(config, keyring, { records, clientInterceptors: interceptors })
      : await connectClient(config, keyring, interceptors).then(({ client, connection }) => ({ worker: null, client, close: () => connection.close(), mailOn: false }));
  if (embedded) {
    // Closed pathways stay in Temporal this long, then only in the record store (docs/operations.md).
    await applyRetention(client, config.TEMPORAL_NAMESPACE, retention);
    console.log(`temporal: closed runs kept ${retention} days (TEMPORAL_RETENTION_DAYS)`);
  }
  const webRoot = fileURLToPath(new URL('../ui/web/dist', import.meta.url));
  const app = await buildApp({
    records,
    client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    accounts,
    sessionSecret: sessionSecret(api),
    cprHashKey: cprHashKey(api),
    ...(oidc ? { oidc } : {}),
    sessionIdleMinutes: api.SESSION_IDLE_MINUTES,
    sessionMaxHours: api.SESSION_MAX_HOURS,
    ...(api.TRUST_PROXY === undefined ? {} : { trustProxy: api.TRUST_PROXY }),
    logger: { level: api.LOG_LEVEL },
    codecOrigins: uiOrigins,
    ...(api.METRICS_TOKEN ? { metricsToken: api.METRICS_TOKEN } : {}),
    ...(existsSync(webRoot) ? { webRoot } : {}),
  });
  await app.listen({ port: api.PORT, host: api.HOST });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping: web first, then the worker, then the server…');
    void app.close().then(() => (worker ? worker.shutdown() : released()));
  };
  let released: () => void = () => {};
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (worker) {
    console.log(`worker: task queue ${config.TEMPORAL_TASK_QUEUE}, namespace ${config.TEMPORAL_NAMESPACE}, payloads encrypted under key ${keyring.active}`);
    console.log(mailOn ? 'e-mail: on' : 'e-mail: off (no SMTP_URL): notices show as flags only');
  } else console.log(`api: no worker in this process (START_WORKER=false); payloads encrypted under key ${keyring.active}`);
  console.log(`web: http://${api.HOST === '0.0.0.0' ? 'localhost' : api.HOST}:${api.PORT} (${accounts().length} accounts from ${api.ACCOUNTS_PATH})`);
  if (accounts().length === 0) console.log('web: no accounts yet: add one with `npm run account -- <id> <role> <teams> "<name>"` or run `npm run demo`');
  console.log('ready. Press Ctrl-C to stop.');
  try {
    await (worker ? worker.run() : new Promise<void>((resolve) => (released = resolve)));
  } finally {
    await close();
    await records.close();
    await server?.stop();
    console.log('stopped.');
  }
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? `start: ${err.message}` : err);
  process.exit(1);
});
