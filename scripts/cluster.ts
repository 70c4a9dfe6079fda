/**
 * `npm run cluster`: the engine on the topology Temporal is run in, on one machine. PostgreSQL
 * (Debian's package) holds Temporal's persistence, its SQL visibility and the record store;
 * the Temporal server is built from its Go module (scripts/cluster/binaries.ts), not the dev
 * server; CLUSTER_WORKERS worker processes (default 2) and the API run as processes of their own,
 * all on loopback. State stays in data/cluster/ across restarts; Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { generateKeyFile } from '../codec/keyring';
import { parseEnv } from '../config/env';
import { ensureServerBinaries, SERVER_VERSION } from './cluster/binaries';
import { prepareDatabases, prepareNamespace, tool } from './cluster/prepare';
import { portsFrom, serverArgs, writeServerConfig } from './cluster/server-config';
import { startPostgresServer } from './postgres-server';
import { retentionDays } from './retention';

const Settings = z.object({
  DATA_DIR: z.string().default('data'),
  CLUSTER_WORKERS: z.coerce.number().int().min(1).max(16).default(2),
  CLUSTER_TEMPORAL_PORT: z.coerce.number().int().min(1024).max(65000).default(7333),
  CLUSTER_POSTGRES_PORT: z.coerce.number().int().min(1024).max(65535).default(5433),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
});

const root = resolve(new URL('..', import.meta.url).pathname);
const children: { name: string; child: ChildProcess }[] = [];

/** A process of the cluster; its output is prefixed with its name. */
function run(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (chunk: Buffer) => process.stdout.write(chunk.toString().replace(/^(?=.)/gm, `${name}: `));
  child.stdout!.on('data', prefix);
  child.stderr!.on('data', prefix);
  child.once('exit', (code, signal) => !stopping && console.log(`${name}: exited (${code ?? signal})`));
  children.push({ name, child });
  return child;
}

let stopping = false;
async function main() {
  const s = parseEnv(Settings, process.env, 'configuration');
  const dir = resolve(s.DATA_DIR, 'cluster');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // As root, PostgreSQL runs as `nobody`, which must pass through to its folder: traverse only,
  // no listing; every file in data/ stays its owner's alone (0600).
  if (process.getuid?.() === 0) for (const d of [resolve(s.DATA_DIR), dir]) chmodSync(d, 0o711);
  const binaries = ensureServerBinaries();
  const postgres = await startPostgresServer({ dir: join(dir, 'postgres'), port: s.CLUSTER_POSTGRES_PORT });
  console.log(`postgres: ${postgres.version} on 127.0.0.1:${s.CLUSTER_POSTGRES_PORT}, data in ${join(dir, 'postgres')}`);
  await prepareDatabases(postgres.url, s.CLUSTER_POSTGRES_PORT, binaries);

  const address = `127.0.0.1:${s.CLUSTER_TEMPORAL_PORT}`;
  const serverRoot = writeServerConfig(join(dir, 'temporal'), portsFrom(s.CLUSTER_TEMPORAL_PORT, s.CLUSTER_POSTGRES_PORT));
  run('temporal', binaries.server, serverArgs(serverRoot));
  await prepareNamespace(address, retentionDays());
  console.log(`temporal: server ${SERVER_VERSION} on ${address} (PostgreSQL persistence and visibility, 4 history shards)`);

  // Every process shares the payload keys and the record store.
  const keys = join(dir, 'payload-keys.json');
  if (!existsSync(keys)) generateKeyFile(keys, dir);
  const bundle = join(dir, 'workflow-bundle.js');
  await tool(process.execPath, ['--import', 'tsx', join(root, 'scripts/build-workflow-bundle.ts'), bundle]);
  const shared = {
    TEMPORAL_ADDRESS: address,
    TEMPORAL_EMBEDDED: 'false',
    PAYLOAD_KEYS: keys,
    DATABASE_URL: `postgres://postgres@127.0.0.1:${s.CLUSTER_POSTGRES_PORT}/records`,
    WORKFLOW_BUNDLE_PATH: bundle,
    DATA_DIR: s.DATA_DIR,
  };
  for (let i = 1; i <= s.CLUSTER_WORKERS; i++) {
    run(`worker-${i}`, process.execPath, ['--import', 'tsx', 'worker/main.ts'], { ...shared, WORKER_METRICS_ADDRESS: `127.0.0.1:${9463 + i}` });
  }
  run('api', process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { ...shared, START_WORKER: 'false', PORT: String(s.PORT) });
  console.log(`cluster: ${s.CLUSTER_WORKERS} workers (metrics on 127.0.0.1:9464…), the API on http://localhost:${s.PORT}. Ctrl-C stops it all.`);

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping: the API and workers, then the server, then PostgreSQL…');
    const ended = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
    const apps = children.filter((c) => c.name !== 'temporal');
    for (const { child } of apps) child.kill('SIGINT');
    await Promise.all(apps.map(({ child }) => ended(child)));
    for (const { child, name } of children) if (name === 'temporal') child.kill('SIGINT');
    await Promise.all(children.map(({ child }) => ended(child)));
    await postgres.stop();
    console.log('stopped.');
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err) => {
  console.error(`cluster: ${(err as Error).message}`);
  for (const { child } of children) child.kill('SIGKILL');
  process.exit(1);
});
