import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { clientDataConverter } from '../codec/data-converter';
import { clientGrpcInterceptors } from '../worker/grpc-retry';
import { startDevServer } from '../scripts/dev-server';
import { benchKeyring, benchPayloadKeys } from './keys';
import { freePort } from '../test/support/net';
import { smtpServer, teamDirectory } from '../test/support/smtp';
import { cpuReader, type CpuTimes } from './cpu';
import { startWorker, type WorkerProcess } from './workers';
import type { WorkerSpec } from './worker-protocol';

export interface Bundles {
  pathway: string;
  baseline: string;
}

/** One dev server with a worker process for pathways and the baseline, an SMTP sink and a client. */
export interface Harness {
  /** Encrypts under the bench's key, as the API does. */
  client: Client;
  /** Without the codec: only for the plain pathway queue of the encryption comparison. */
  plainClient: Client;
  plainPathwayQueue: string;
  address: string;
  pathwayQueue: string;
  baselineQueue: string;
  smtp: Awaited<ReturnType<typeof smtpServer>>;
  worker: WorkerProcess;
  /** The CPU the server, the worker process's threads and this client have spent (bench/cpu.ts); none without /proc. */
  cpu?: () => CpuTimes;
  /** Another worker process on the same server. */
  spawnWorker(spec: Omit<WorkerSpec, 'address'>): Promise<WorkerProcess>;
  bundles: Bundles;
  stop(): Promise<void>;
}

/** Teams the population's pathways belong to, besides the policy's defaults. */
export const populationTeams = Array.from({ length: 10 }, (_, i) => `team-${i}`);

export async function startHarness(o: { dir: string; bundles: Bundles; pragmas?: Record<string, string> }): Promise<Harness> {
  mkdirSync(o.dir, { recursive: true });
  const port = await freePort();
  const server = await startDevServer({ port, uiPort: await freePort(), dbFile: join(o.dir, 'temporal.db'), namespace: 'default', quiet: true, ...(o.pragmas ? { pragmas: o.pragmas } : {}) });
  const address = `127.0.0.1:${port}`;
  // As the API's (worker/run.ts): an action that meets a run's end is sent again at once.
  const connection = await Connection.connect({ address, interceptors: clientGrpcInterceptors() });
  const client = new Client({ connection, dataConverter: clientDataConverter(benchKeyring) });
  const plainClient = new Client({ connection });
  const smtp = await smtpServer();
  const mail = { SMTP_URL: smtp.url, TEAM_DIRECTORY_PATH: teamDirectory(populationTeams, o.dir), MAIL_FROM: 'bench@bench.test', PAYLOAD_KEYS: benchPayloadKeys };
  const spawned: WorkerProcess[] = [];
  const spawnWorker = async (spec: Omit<WorkerSpec, 'address'>) => {
    const w = await startWorker({ address, pathwayBundle: o.bundles.pathway, baselineBundle: o.bundles.baseline, ...spec }, mail);
    spawned.push(w);
    return w;
  };
  const pathwayQueue = 'bench-pathways';
  const baselineQueue = 'bench-baseline';
  const plainPathwayQueue = 'bench-pathways-plain';
  const worker = await spawnWorker({ pathwayQueue, baselineQueue, plainPathwayQueue });
  const cpu = server.process.pid === undefined ? undefined : cpuReader({ server: server.process.pid, worker: worker.pid });
  return {
    ...(cpu ? { cpu } : {}),
    client,
    plainClient,
    plainPathwayQueue,
    address,
    pathwayQueue,
    baselineQueue,
    smtp,
    worker,
    spawnWorker,
    bundles: o.bundles,
    stop: async () => {
      for (const w of spawned) await w.stop();
      await connection.close();
      await smtp.close();
      await server.stop();
    },
  };
}
