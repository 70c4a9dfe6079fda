import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testLogLevel } from './logging';
import { testKeyFile } from './keys';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkerProcessOptions {
  /** host:port of the Temporal frontend. */
  address: string;
  taskQueue: string;
  workflowBundlePath: string;
  /** E-mail on: both or neither (see activities/mail.ts). */
  smtpUrl?: string;
  teamDirectoryPath?: string;
  /**
   * Where its embedded record store lives (DATA_DIR): one folder, one process at a time. Give the
   * same folder to a worker that replaces a killed one; by default each worker gets a fresh one.
   */
  dataDir?: string;
  /** PAYLOAD_KEYS for the worker (default: the test key file). */
  payloadKeys?: string;
  /** WORKER_METRICS_ADDRESS: where the worker serves its Prometheus metrics (default: off). */
  metricsAddress?: string;
  /** DATABASE_URL: a record store on PostgreSQL, which several workers share (default: PGlite in `dataDir`). */
  databaseUrl?: string;
  /** WORKER_BUILD_ID and WORKER_DEPLOYMENT_NAME: a version of a Worker Deployment (default: unversioned). */
  deployment?: { name: string; buildId: string };
}

export interface WorkerProcess {
  pid: number;
  /** Everything the worker printed, for a failing test's message. */
  output: () => string;
  /** Kills it without warning (SIGKILL) and waits until it is gone. */
  kill: () => Promise<void>;
  /** Asks it to finish what it has in hand and exit (SIGTERM), and waits until it has. */
  stop: () => Promise<void>;
  /** Resolves when the process has exited, however it ended. */
  exited: Promise<void>;
  /** Not yet killed, stopped or crashed. */
  alive: () => boolean;
}

const running = new Set<ChildProcess>();
/** What each worker started by this file printed, in start order. */
const outputs: { pid: number; output: () => string }[] = [];
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * Starts `worker/main.ts` as a real, separate Node process (not `tsx` the CLI, which would run
 * the worker in a grandchild that a SIGKILL of its parent leaves behind), and resolves once it
 * polls its task queue.
 */
export async function startWorkerProcess(o: WorkerProcessOptions): Promise<WorkerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: o.address,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: o.taskQueue,
    WORKFLOW_BUNDLE_PATH: o.workflowBundlePath,
    // Its output is shown when a test fails: keep it to what matters there.
    WORKER_LOG_LEVEL: testLogLevel(),
    DATA_DIR: o.dataDir ?? mkdtempSync(join(tmpdir(), 'worker-data-')),
    PAYLOAD_KEYS: o.payloadKeys ?? testKeyFile,
  };
  delete env.DATABASE_URL;
  delete env.PAYLOAD_ACTIVE_KEY;
  delete env.SMTP_URL;
  delete env.TEAM_DIRECTORY_PATH;
  delete env.WORKER_METRICS_ADDRESS;
  delete env.WORKER_BUILD_ID;
  if (o.deployment) Object.assign(env, { WORKER_BUILD_ID: o.deployment.buildId, WORKER_DEPLOYMENT_NAME: o.deployment.name });
  if (o.metricsAddress) env.WORKER_METRICS_ADDRESS = o.metricsAddress;
  if (o.databaseUrl) env.DATABASE_URL = o.databaseUrl;
  if (o.smtpUrl) env.SMTP_URL = o.smtpUrl;
  if (o.teamDirectoryPath) env.TEAM_DIRECTORY_PATH = o.teamDirectoryPath;

  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => (running.delete(child), resolve())));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('worker: polling task queue')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`the worker exited before polling (code ${code}, signal ${signal}):\n${output}`)));
  });
  outputs.push({ pid: child.pid!, output: () => output });
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  try {
    await ready;
  } catch (err) {
    await kill();
    throw err;
  }
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const alive = () => child.exitCode === null && child.signalCode === null && !child.killed;
  return { pid: child.pid!, output: () => output, kill, stop, exited, alive };
}

/** Everything the workers printed, to show when a test fails. */
export const workerOutputs = () => outputs.map((o) => `--- worker ${o.pid} ---\n${o.output()}`).join('\n');

/** Kills every worker process still running: for `afterEach`, so a failed test leaves no orphan. */
export async function killAllWorkers(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await gone;
    }),
  );
}
