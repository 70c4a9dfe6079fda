import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './net';

/**
 * A throwaway PostgreSQL server from Debian's `postgresql` package: a fresh cluster in a temp
 * folder, on a free loopback port, trusting local connections. Postgres refuses to run as
 * root, so as root the cluster belongs to `nobody` and runs as it.
 */
export interface PostgresServer {
  url: string;
  version: string;
  output: () => string;
  stop: () => Promise<void>;
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

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('no PostgreSQL server installed (Debian: apt-get install postgresql)');
  const dir = mkdtempSync(join(tmpdir(), 'records-pg-'));
  const asRoot = process.getuid?.() === 0;
  const nobody = asRoot ? { uid: Number(run('id', ['-u', 'nobody'])), gid: Number(run('id', ['-g', 'nobody'])) } : undefined;
  if (nobody) chownSync(dir, nobody.uid, nobody.gid);
  const data = join(dir, 'data');
  run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], nobody);

  const port = await freePort();
  // fsync off: a test cluster needs no durability, and 2 shared cores need the time.
  const args = ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'];
  const child = spawn(join(bin, 'postgres'), args, { stdio: ['ignore', 'pipe', 'pipe'], ...(nobody ?? {}) });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const exited = new Promise<void>((resolve) => child.once('exit', () => (running.delete(child), resolve())));

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const version = await waitUntilReady(url, () => running.has(child), () => output);
  return {
    url,
    version,
    output: () => output,
    stop: async () => {
      child.kill('SIGINT'); // fast shutdown: ends sessions, then exits
      await exited;
      rmSync(dir, { recursive: true, force: true });
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

