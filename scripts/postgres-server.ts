import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A PostgreSQL server from Debian's `postgresql` package, in a folder of ours: made with initdb
 * on first use, on a loopback port, trusting local connections (loopback only). Postgres refuses
 * to run as root, so as root the folder belongs to `nobody` and the server runs as it.
 */
export interface PostgresServer {
  /** The `postgres` database as the `postgres` user. */
  url: string;
  version: string;
  output: () => string;
  /** A fast shutdown: ends sessions, then exits. */
  stop: () => Promise<void>;
  exited: Promise<void>;
}

/** The newest installed server's bin folder, or null when no server is installed. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : null;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts the server on `dir` (its cluster in `dir/data`, made if missing) at `port`; `durable: false` turns fsync off, for tests. */
export async function startPostgresServer(o: { dir: string; port: number; durable?: boolean }): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('no PostgreSQL server installed (Debian: apt-get install postgresql)');
  mkdirSync(o.dir, { recursive: true });
  const asRoot = process.getuid?.() === 0;
  const nobody = asRoot ? { uid: Number(run('id', ['-u', 'nobody'])), gid: Number(run('id', ['-g', 'nobody'])) } : undefined;
  if (nobody) chownSync(o.dir, nobody.uid, nobody.gid);
  const data = join(o.dir, 'data');
  if (!existsSync(join(data, 'PG_VERSION'))) {
    run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-instructions', ...(o.durable === false ? ['--no-sync'] : [])], nobody);
  }
  const args = ['-D', data, '-p', String(o.port), '-k', o.dir, '-c', 'listen_addresses=127.0.0.1', ...(o.durable === false ? ['-c', 'fsync=off'] : [])];
  const child = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'], ...(nobody ?? {}) });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => (running.delete(child), resolve())));
  const url = `postgres://postgres@127.0.0.1:${o.port}/postgres`;
  const version = await waitUntilReady(url, () => running.has(child), () => output);
  return {
    url,
    version,
    output: () => output,
    exited,
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}

async function waitUntilReady(url: string, alive: () => boolean, output: () => string): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!alive()) throw new Error(`postgres exited at start:\n${output()}`);
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      const { rows } = await client.query<{ v: string }>("select current_setting('server_version') as v");
      return rows[0]!.v;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections in 30 s: ${(err as Error).message}\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

function run(cmd: string, args: string[], as?: { uid: number; gid: number }): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...(as ?? {}) });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status ?? r.signal}): ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}
