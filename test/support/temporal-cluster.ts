import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { clientDataConverter } from '../../codec/data-converter';
import { ensureServerBinaries } from '../../scripts/cluster/binaries';
import { prepareDatabases, prepareNamespace } from '../../scripts/cluster/prepare';
import { serverArgs, writeServerConfig } from '../../scripts/cluster/server-config';
import { startPostgresServer } from '../../scripts/postgres-server';
import { testKeyring } from './keys';
import { freePort } from './net';

/**
 * The Temporal server built from its Go module on a fresh PostgreSQL (persistence, SQL
 * visibility, and a `records` database for the workers' record store), every port free and on
 * loopback, as `npm run cluster` runs it. `close` stops both and removes their folders.
 */
export async function temporalCluster() {
  const binaries = ensureServerBinaries();
  const pgDir = mkdtempSync(join(tmpdir(), 'cluster-pg-'));
  const serverDir = mkdtempSync(join(tmpdir(), 'cluster-temporal-'));
  const ports = {
    frontend: await freePort(),
    frontendHttp: await freePort(),
    history: await freePort(),
    matching: await freePort(),
    worker: await freePort(),
    membership: [await freePort(), await freePort(), await freePort(), await freePort()] as [number, number, number, number],
    metrics: await freePort(),
    postgres: await freePort(),
  };
  const postgres = await startPostgresServer({ dir: pgDir, port: ports.postgres, durable: false });
  await prepareDatabases(postgres.url, ports.postgres, binaries);
  const root = writeServerConfig(serverDir, ports);
  let output = '';
  const startServer = () => {
    const child = spawn(binaries.server, serverArgs(root), { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (output += c));
    child.stderr.on('data', (c: Buffer) => (output += c));
    return { child, exited: new Promise<void>((resolve) => child.once('exit', () => resolve())) };
  };
  let server = startServer();
  let db = postgres;
  const address = `127.0.0.1:${ports.frontend}`;
  try {
    await prepareNamespace(address, 1);
  } catch (err) {
    server.child.kill('SIGKILL');
    await postgres.stop();
    throw new Error(`${(err as Error).message}\n${serverErrors(output) || output.slice(-4000)}`);
  }
  const connection = await Connection.connect({ address });
  return {
    address,
    connection,
    client: new Client({ connection, dataConverter: clientDataConverter(testKeyring) }),
    /** The record store the workers share. */
    databaseUrl: `postgres://postgres@127.0.0.1:${ports.postgres}/records`,
    output: () => output,
    /** Stops the server process (SIGINT, or SIGKILL when `hard`) and starts it again on the same database. */
    restartServer: async (hard = false) => {
      server.child.kill(hard ? 'SIGKILL' : 'SIGINT');
      await server.exited;
      server = startServer();
    },
    /** Stops PostgreSQL (a fast shutdown: sessions end) and starts it again on the same folder and port. */
    restartPostgres: async () => {
      await db.stop();
      db = await startPostgresServer({ dir: pgDir, port: ports.postgres, durable: false });
    },
    close: async () => {
      await connection.close();
      server.child.kill('SIGINT');
      await server.exited;
      await db.stop();
      for (const d of [pgDir, serverDir]) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** The server's fatal and error log lines without their stack traces, which fill a tail of its output. */
function serverErrors(output: string): string {
  const lines = output.split('\n').flatMap((line) => {
    try {
      const { level, msg, error, service, address } = JSON.parse(line) as Record<string, unknown>;
      return level === 'fatal' || level === 'error' ? [JSON.stringify({ level, msg, error, service, address })] : [];
    } catch {
      return [];
    }
  });
  return lines.slice(-10).join('\n');
}
