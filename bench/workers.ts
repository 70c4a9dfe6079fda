import { fork } from 'node:child_process';
import type { FromWorker, Memory, ToWorker, WorkerSpec } from './worker-protocol';

export interface WorkerProcess {
  readonly pid: number;
  /** The worker process's memory, in bytes. */
  memory(): Promise<Memory>;
  onStamp(listener: (dueAt: number, at: number) => void): void;
  /** Graceful shutdown: finishes the tasks in hand, then exits. */
  stop(): Promise<void>;
}

/** Starts a worker process, with `env` added to its environment (e-mail settings), and waits until it polls. */
export async function startWorker(spec: WorkerSpec, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = fork(new URL('./worker-process.ts', import.meta.url).pathname, [], {
    // --expose-gc: the memory figure is the heap after a full collection.
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: { ...process.env, ...env, BENCH_WORKER: JSON.stringify(spec) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const orphanGuard = () => child.kill('SIGKILL');
  process.once('exit', orphanGuard);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (process.off('exit', orphanGuard), resolve(code))));
  const stampListeners: ((dueAt: number, at: number) => void)[] = [];
  let memoryWaiter: ((memory: Memory) => void) | undefined;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: FromWorker) => {
      if (m.type === 'ready') resolve();
      if (m.type === 'memory') memoryWaiter?.({ rss: m.rss, heapUsed: m.heapUsed });
      if (m.type === 'stamp') for (const l of stampListeners) l(m.dueAt, m.at);
    });
    void exited.then((code) => reject(new Error(`bench worker exited with code ${code} before it was ready`)));
  });
  await ready;
  const tell = (m: ToWorker) => child.send(m);
  return {
    pid: child.pid!,
    memory: () =>
      new Promise((resolve) => {
        memoryWaiter = resolve;
        tell({ type: 'memory' });
      }),
    onStamp: (l) => stampListeners.push(l),
    stop: async () => {
      if (child.exitCode === null && child.connected) tell({ type: 'stop' });
      await exited;
    },
  };
}
