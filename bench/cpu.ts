import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Where an action's CPU goes, by process and by thread of the worker: the profile that says
 * what a pathway costs beyond a no-op Update. Read from Linux's /proc; elsewhere there is none.
 */
export const cpuParts = ['server', 'worker main thread', 'worker JS threads', 'worker SDK core', 'client'] as const;
export type CpuPart = (typeof cpuParts)[number];
/** CPU milliseconds spent so far, by part. */
export type CpuTimes = Record<CpuPart, number>;

/** Threads of the SDK's Rust core, by the names Linux shows (cut to 15 characters). */
const coreThreads = /^(tokio-runtime-w|workflow-proces|temporal-real-s)/;

/** utime + stime of a /proc stat line, in clock ticks; the name (comm) may hold spaces, so fields count from its ')'. */
function ticksOf(stat: string): { name: string; ticks: number } {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ticks: Number(fields[11]) + Number(fields[12]) };
}

const tickMs = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 10;
  }
})();

/** Reads the parts' CPU so far, or says there is nothing to read from (no /proc). */
export function cpuReader(pids: { server: number; worker: number }): (() => CpuTimes) | undefined {
  try {
    readFileSync(`/proc/${pids.server}/stat`);
  } catch {
    return undefined;
  }
  const processMs = (pid: number) => ticksOf(readFileSync(`/proc/${pid}/stat`, 'utf8')).ticks * tickMs;
  return () => {
    const times: CpuTimes = { ...noCpu(), server: processMs(pids.server) };
    for (const tid of readdirSync(`/proc/${pids.worker}/task`)) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/${pids.worker}/task/${tid}/stat`, 'utf8');
      } catch {
        continue; // a thread that ended meanwhile
      }
      const { name, ticks } = ticksOf(stat);
      const part: CpuPart = Number(tid) === pids.worker ? 'worker main thread' : coreThreads.test(name) ? 'worker SDK core' : 'worker JS threads';
      times[part] += ticks * tickMs;
    }
    const own = process.cpuUsage();
    times.client = (own.user + own.system) / 1000;
    return times;
  };
}

/** Times with each part's value from `f`. */
const byPart = (f: (part: CpuPart) => number): CpuTimes => Object.fromEntries(cpuParts.map((p) => [p, f(p)])) as CpuTimes;

/** What was spent between two readings, by part. */
export const cpuSpent = (before: CpuTimes, after: CpuTimes) => byPart((p) => after[p] - before[p]);

export const cpuAdd = (a: CpuTimes, b: CpuTimes) => byPart((p) => a[p] + b[p]);

export const noCpu = () => byPart(() => 0);

/** What was spent, per action. */
export const cpuPer = (spent: CpuTimes, actions: number) => byPart((p) => spent[p] / Math.max(actions, 1));

export const cpuTotal = (t: CpuTimes) => cpuParts.reduce((sum, p) => sum + t[p], 0);
