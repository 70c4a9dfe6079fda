import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import pg from 'pg';
import { addPathwaySearchAttributes } from '../search-attributes-admin';
import type { ServerBinaries } from './binaries';

/** Runs a tool to its end, failing with its output. */
export function tool(cmd: string, args: string[]): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c));
    child.stderr.on('data', (c: Buffer) => (out += c));
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`${cmd} ${args.join(' ')} failed (${code}):\n${out}`))));
  });
}

/** Temporal's two databases, made and brought to the module's schema version by its own SQL tool; the record store's database. */
export async function prepareDatabases(url: string, port: number, b: ServerBinaries) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const exists = async (db: string) => (await client.query('select 1 from pg_database where datname = $1', [db])).rowCount === 1;
  const base = ['--plugin', 'postgres12', '--ep', '127.0.0.1', '-p', String(port), '-u', 'postgres'];
  for (const [db, schema] of [['temporal', 'temporal'], ['temporal_visibility', 'visibility']] as const) {
    if (!(await exists(db))) {
      await tool(b.sqlTool, [...base, '--db', db, 'create-database']);
      await tool(b.sqlTool, [...base, '--db', db, 'setup-schema', '-v', '0.0']);
    }
    await tool(b.sqlTool, [...base, '--db', db, 'update-schema', '-d', join(b.schemaDir, schema, 'versioned')]);
  }
  if (!(await exists('records'))) await client.query('create database records');
  await client.end();
}

/** Waits for the frontend, then makes the namespace (with its retention) and the pathway search attributes. */
export async function prepareNamespace(address: string, retentionDays: number) {
  const deadline = Date.now() + 120_000;
  let connection: Connection | undefined;
  while (!connection) {
    try {
      connection = await Connection.connect({ address, connectTimeout: 2_000 });
      await connection.workflowService.getSystemInfo({});
    } catch (err) {
      await connection?.close();
      connection = undefined;
      if (Date.now() > deadline) throw new Error(`the Temporal server did not answer on ${address} in 2 minutes: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
  const namespaces = await connection.workflowService.listNamespaces({});
  if (!namespaces.namespaces?.some((n) => n.namespaceInfo?.name === 'default')) {
    await connection.workflowService.registerNamespace({ namespace: 'default', workflowExecutionRetentionPeriod: msToTs(retentionDays * 86_400_000) });
    // A new namespace reaches every service's cache within seconds.
    await new Promise((r) => setTimeout(r, 12_000));
  }
  const existing = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
  await addPathwaySearchAttributes(connection, 'default', Object.keys(existing.customAttributes ?? {}));
  await connection.close();
}

