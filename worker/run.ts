import { Client, Connection, type ClientInterceptors } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import { loadMailConfig } from '../activities/mail';
import { clientDataConverter, workerDataConverter } from '../codec/data-converter';
import type { Keyring } from '../codec/keyring';
import { importTeamDirectoryFile, openRecords, recordsTargetOf, type Records } from '../records';
import { createActivities } from './activities';
import { createRecordsAtOnce } from './records-at-once';
import type { Config } from './config';
import { connectionOptions } from './connection';
import { clientGrpcInterceptors } from './grpc-retry';
import { createPathwayWorker } from './create-worker';

/**
 * Connects to Temporal and builds the worker with its activities; `close` releases the
 * connections. Every payload is encrypted under `keyring`, and the returned client (for the API
 * in `npm start`) decodes with it too. A process that brings its own record store (npm start
 * shares one with the API) keeps closing it; otherwise the worker opens one from the environment.
 */
export async function connectWorker(
  config: Config,
  keyring: Keyring,
  o: {
    records?: Records;
    /** The API's, in `npm start`: its starts and Updates carry the HTTP request's correlation id. */
    clientInterceptors?: ClientInterceptors;
    /** Only the bench's: workflows in the main isolate, to weigh their heap. */
    overrides?: Partial<WorkerOptions>;
  } = {},
): Promise<{ worker: Worker; client: Client; records: Records; close: () => Promise<void>; mailOn: boolean }> {
  const mail = loadMailConfig();
  const given = o.records;
  const records = given ?? (await openRecords(recordsTargetOf()));
  // The file's teams join the registry now, so a bad file stops start-up rather than a notice.
  if (mail.TEAM_DIRECTORY_PATH) {
    try {
      await importTeamDirectoryFile(records.db, mail.TEAM_DIRECTORY_PATH);
    } catch (err) {
      if (!given) await records.close();
      throw err;
    }
  }
  const native = await NativeConnection.connect(connectionOptions(config));
  const { client, connection } = await connectClient(config, keyring, o.clientInterceptors);
  const recordsAtOnce = createRecordsAtOnce({ client, records });
  const worker = await createPathwayWorker({
    connection: native,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    workflowBundlePath: config.WORKFLOW_BUNDLE_PATH,
    dataConverter: workerDataConverter(keyring),
    activities: createActivities({ client, taskQueue: config.TEMPORAL_TASK_QUEUE, mail, records }),
    recordsAtOnce,
    ...(config.WORKER_BUILD_ID ? { deployment: { name: config.WORKER_DEPLOYMENT_NAME, buildId: config.WORKER_BUILD_ID } } : {}),
    overrides: {
      ...(config.WORKER_MAX_CACHED_WORKFLOWS === undefined ? {} : { maxCachedWorkflows: config.WORKER_MAX_CACHED_WORKFLOWS }),
      ...o.overrides,
    },
  });
  return {
    worker,
    client,
    records,
    mailOn: Boolean(mail.SMTP_URL),
    close: async () => {
      // The last steps' entries, still gathering for their insert (its failure is the durable write's to mend).
      await recordsAtOnce.drain();
      await connection.close();
      await native.close();
      if (!given) await records.close();
    },
  };
}

/** A client alone (the API without a worker beside it), encrypting and decrypting under `keyring`. */
export async function connectClient(config: Config, keyring: Keyring, interceptors?: ClientInterceptors): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect({ ...connectionOptions(config), interceptors: clientGrpcInterceptors() });
  const client = new Client({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    dataConverter: clientDataConverter(keyring),
    ...(interceptors ? { interceptors } : {}),
  });
  return { client, connection };
}
