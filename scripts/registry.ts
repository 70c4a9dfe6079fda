/**
 * `npm run registry -- teams|facilities add|list|deactivate …`: manages the registry of teams
 * and facilities in the record store (DATABASE_URL, else DATA_DIR/records). The embedded store
 * admits one process: while `npm start` runs, use its admin page instead.
 */
import { Client, Connection } from '@temporalio/client';
import { applyCapacity } from '../activities/facilities';
import { openRecords, recordsTargetOf, RecordsLockedError } from '../records';
import { loadConfig } from '../worker/config';
import { connectionOptions } from '../worker/connection';
import { registryCommand, RegistryUsageError } from './registry-commands';

/** A running facility takes the new capacity at once; none running reads it on its first request. */
async function capacityChanged(facilityId: string, capacity: number): Promise<string> {
  const config = loadConfig();
  try {
    const connection = await Connection.connect({ ...connectionOptions(config), connectTimeout: 3_000 });
    try {
      const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
      const applied = await applyCapacity(client, facilityId, capacity, { id: 'registry-command', role: 'admin', teams: [] });
      return applied ? `the running facility ${facilityId} now has ${capacity} places` : `facility ${facilityId} is not running yet: it starts with ${capacity} places`;
    } finally {
      await connection.close();
    }
  } catch (err) {
    return `warning: could not reach Temporal at ${config.TEMPORAL_ADDRESS} (${(err as Error).message}): a running facility ${facilityId} keeps its old capacity until it is set again (admin page or this command with Temporal up)`;
  }
}

let records;
try {
  records = await openRecords(recordsTargetOf());
} catch (err) {
  if (err instanceof RecordsLockedError) {
    console.error(`${err.message}\nthe embedded record store is in use (npm start?): manage teams and facilities on its admin page (#/admin), or stop it first`);
    process.exit(1);
  }
  throw err;
}
try {
  for (const line of await registryCommand(process.argv.slice(2), { records, capacityChanged })) console.log(line);
} catch (err) {
  if (!(err instanceof RegistryUsageError)) throw err;
  console.error(err.message);
  process.exitCode = 2;
} finally {
  await records.close();
}
