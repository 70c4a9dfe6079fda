import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { withPrivateUmask } from '../config/private-files';
import { cliSearchAttributeType, pathwaySearchAttributes } from '../workflows/search-attributes';
import { temporalCliPath } from './temporal-paths';

export interface DevServerOptions {
  port: number;
  uiPort: number;
  dbFile: string;
  namespace: string;
  /** SQLite journaling: WAL with synchronous=FULL unless a benchmark compares others. */
  pragmas?: Record<string, string>;
  quiet?: boolean;
  /** The remote codec the embedded Web UI decodes payloads with (the API's /codec). */
  uiCodecEndpoint?: string;
}

/**
 * Durable defaults: WAL lets readers and the writer work side by side, and synchronous=FULL
 * syncs the log on every commit, so no acknowledged change is lost if the process (or the
 * machine) dies.
 */
export const durablePragmas = { journal_mode: 'wal', synchronous: 'full' };

/** Starts the Temporal CLI dev server on a SQLite file, with the pathway search attributes. */
export async function startDevServer(o: DevServerOptions): Promise<{ process: ChildProcess; stop: () => Promise<void> }> {
  const cli = temporalCliPath();
  if (!cli) throw new Error('the Temporal CLI is missing: run `npm run provision` or set TEMPORAL_CLI_PATH');
  mkdirSync(dirname(o.dbFile), { recursive: true });
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(o.port),
    '--ui-port', String(o.uiPort),
    '--db-filename', o.dbFile,
    '--log-level', 'error',
    ...(o.namespace === 'default' ? [] : ['--namespace', o.namespace]),
    ...(o.uiCodecEndpoint ? ['--ui-codec-endpoint', o.uiCodecEndpoint] : []),
    ...Object.entries(o.pragmas ?? durablePragmas).flatMap(([k, v]) => ['--sqlite-pragma', `${k}=${v}`]),
    ...pathwaySearchAttributes.flatMap((k) => ['--search-attribute', `${k.name}=${cliSearchAttributeType[k.type]}`]),
  ];
  // Its own process group: Ctrl-C reaches only us, and we stop the server after the worker.
  // Umask 077: the database, its WAL and shared memory file are created readable by us alone.
  const child = withPrivateUmask(() => spawn(cli, args, { stdio: ['ignore', o.quiet ? 'ignore' : 'inherit', 'inherit'], detached: true }));
  const orphanGuard = () => child.kill('SIGTERM');
  process.once('exit', orphanGuard);
  const exited = new Promise<void>((resolve) => child.once('exit', () => (process.off('exit', orphanGuard), resolve())));
  let early: Error | undefined;
  child.once('exit', (code) => (early ??= new Error(`the Temporal dev server exited with code ${code}`)));

  // Ready when the frontend answers; give SQLite migrations on a new file time to run.
  const until = Date.now() + 60_000;
  for (;;) {
    if (early) throw early;
    try {
      const connection = await Connection.connect({ address: `127.0.0.1:${o.port}`, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch (err) {
      if (Date.now() > until) {
        child.kill('SIGTERM');
        throw new Error(`the Temporal dev server did not come up on port ${o.port}: ${(err as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return {
    process: child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
