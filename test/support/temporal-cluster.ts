import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { clientDataConverter } from '../../codec/data-converter';
import { ensureServerBinaries } from '../../scripts/cluster/binaries';
import { prepareDatabases, prepareNamespace } from '../../scripts/cluster/prepare';
import { writeServerConfig } from '../../scripts/cluster/server-config';
import { startPostgresServer } from '../../scripts/postgres-server';
import { testKeyring } from './keys';
import { installTestRuntime } from './logging';
import { freeLowPort, freePort } from './net';

/**
 * The Temporal server built from its Go module on a fresh PostgreSQL (persistence, SQL
 * visibility, and a `records` database for the workers' record store), every port free and on
 * loopback, as `npm run cluster` runs it. `close` stops both and removes their folders.
 */
export async function temporalCluster() {
  installTestRuntime();
  const binaries = ensureServerBinaries();
  const pgDir = mkdtempSync(join(tmpdir(), 'cluster-pg-'));
  const serverDir = mkdtempSync(join(tmpdir(), 'cluster-temporal-'));
  const ports = {
    frontend: await freePort(),
    frontendHttp: await freePort(),
    history: await freePort(),
    matching: await freePort(),
    worker: await freePort(),
    membership: [await freeLowPort(), await freeLowPort(), await freeLowPort(), await freeLowPort()] as [number, number, number, number],
    metrics: await freePort(),
    postgres: await freePort(),
  };
  const postgres = await startPostgresServer({ dir: pgDir, port: ports.postgres, durable: false });
  await prepareDatabases(postgres.url, ports.postgres, binaries);
  const server = spawn(binaries.server, ['--root', writeServerConfig(serverDir, ports), '--config', 'config', '--env', 'development', '--allow-no-auth', 'start'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (c: Buffer) => (output += c));
  server.stderr.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  const address = `127.0.0.1:${ports.frontend}`;
  try {
    await prepareNamespace(address, 1);
  } catch (err) {
    server.kill('SIGKILL');
    await postgres.stop();
    throw new Error(`${(err as Error).message}\n${output.slice(-4000)}`);
  }
  const connection = await Connection.connect({ address });
  return {
    address,
    connection,
    client: new Client({ connection, dataConverter: clientDataConverter(testKeyring) }),
    /** The record store the workers share. */
    databaseUrl: `postgres://postgres@127.0.0.1:${ports.postgres}/records`,
    output: () => output,
    close: async () => {
      await connection.close();
      server.kill('SIGINT');
      await exited;
      await postgres.stop();
      for (const d of [pgDir, serverDir]) rmSync(d, { recursive: true, force: true });
    },
  };
}
