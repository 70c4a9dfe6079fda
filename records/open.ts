import { once } from 'node:events';
import { chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { lockFolder } from './folder-lock';
import { migrateToLatest } from './migrate';
import { PGliteDialect } from './pglite-dialect';
import type { Database } from './schema';

/**
 * Where the records live: an embedded PGlite folder (the database in `pgdata/`, beside the
 * lock that keeps a second process out), or a PostgreSQL server.
 */
export type RecordsTarget = { dataDir: string } | { databaseUrl: string };

export interface Records {
  db: Kysely<Database>;
  backend: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** Opens the record store and applies any pending migration before anyone can use it. */
export async function openRecords(target: RecordsTarget): Promise<Records> {
  const records = 'dataDir' in target ? await openPGlite(target.dataDir) : openPostgres(target.databaseUrl);
  try {
    await migrateToLatest(records.db);
  } catch (err) {
    await records.close();
    throw err;
  }
  return records;
}

async function openPGlite(dataDir: string): Promise<Records> {
  // Health data: the folder is the owner's alone (mkdir's mode is cut by the umask, so chmod).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const unlock = lockFolder(join(dataDir, 'lock'));
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({ dataDir: join(dataDir, 'pgdata') });
  } catch (err) {
    unlock();
    throw err;
  }
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    backend: 'pglite',
    close: async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}

/** bigint (count(*), bigserial) as a number, as PGlite reads it: ids stay far below 2^53. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

function openPostgres(databaseUrl: string): Records {
  const pool = new pg.Pool({ connectionString: databaseUrl, types, max: 10 });
  // An idle connection the server drops (restart, failover) is discarded by the pool and the
  // next query reconnects; without a listener its error would end the process.
  pool.on('error', () => {});
  // pg's Pool.end() resolves before its connections have closed: wait for each to go.
  const connections = new Set<pg.PoolClient>();
  pool.on('connect', (c) => connections.add(c));
  pool.on('remove', (c) => connections.delete(c));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    backend: 'postgres',
    close: async () => {
      await db.destroy();
      while (connections.size) await once(pool, 'remove');
    },
  };
}
