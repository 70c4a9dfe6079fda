import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgresServer, type PostgresServer } from '../../scripts/postgres-server';
import { freePort } from './net';

export { findPostgresBin, type PostgresServer } from '../../scripts/postgres-server';

/** A throwaway PostgreSQL server: a fresh cluster in a temp folder, on a free loopback port, without fsync. */
export async function startPostgres(): Promise<PostgresServer> {
  const dir = mkdtempSync(join(tmpdir(), 'records-pg-'));
  const server = await startPostgresServer({ dir, port: await freePort(), durable: false });
  return {
    ...server,
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
