/**
 * `npm run bench`: starts its own dev server (durable SQLite settings, as `npm start` runs
 * it) and worker process, loads them, and prints every figure next to a baseline measured
 * in the same run on the same server: a no-op workflow answering a no-op Update.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { temporalCliPath } from '../scripts/temporal-paths';
import { workflowBundleOptions } from '../worker/create-worker';
import { ConfigError } from '../config/env';
import { loadSizes, type Phase } from './config';
import type { Bench } from './context';
import { startHarness, type Bundles } from './harness';
import { judge, table, type Row } from './report';
import { eviction } from './scenarios/eviction';
import { machineCost } from './scenarios/machine';
import { encryption } from './scenarios/encryption';
import { memory } from './scenarios/memory';
import { population } from './scenarios/population';
import { clusterScaling } from './scenarios/cluster';
import { pragmas } from './scenarios/pragmas';
import { reportsBench } from './scenarios/reports';
import { starts } from './scenarios/starts';
import { stayHistory } from './scenarios/stay-history';
import { eventsPerTransition, rejections, roundTrips } from './scenarios/transitions';

const log = (message: string) => console.log(message);

async function bundles(dir: string): Promise<Bundles> {
  const quiet = { trace() {}, debug() {}, info() {}, log() {}, warn: console.warn, error: console.error };
  const write = async (name: string, options: Parameters<typeof bundleWorkflowCode>[0]) => {
    const { code } = await bundleWorkflowCode({ ...options, logger: quiet });
    writeFileSync(join(dir, name), code);
    return join(dir, name);
  };
  return {
    pathway: await write('pathway-bundle.js', workflowBundleOptions),
    // With the pathways' stack trace limit, so the figures compare workflow code, not that setting.
    baseline: await write('baseline-bundle.js', {
      workflowsPath: new URL('./baseline-workflow.ts', import.meta.url).pathname,
      preloadModules: [new URL('../workflows/stack-trace-limit.ts', import.meta.url).pathname],
    }),
  };
}

const version = (pkg: string) => (JSON.parse(readFileSync(`node_modules/${pkg}/package.json`, 'utf8')) as { version: string }).version;

function machine() {
  const cli = temporalCliPath();
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    temporalSdk: version('@temporalio/worker'),
    temporalCli: cli ? execFileSync(cli, ['--version']).toString().trim() : 'unknown',
    xstate: version('xstate'),
  };
}

async function main() {
  const sizes = loadSizes();
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'pathways-bench-'));
  const rows: Row[] = [];
  const timed = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    log(`${name}…`);
    const result = await f();
    log(`  done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return result;
  };
  const phase = async (key: Phase, name: string, f: () => Promise<void>) => {
    if (!sizes.BENCH_ONLY || sizes.BENCH_ONLY.includes(key)) await timed(name, f);
  };
  try {
    log(`bench sizes: ${JSON.stringify(sizes)}`);
    // The record store alone, no Temporal: BENCH_ONLY=reports starts no server.
    await phase('reports', 'evaluation reports over 10,000 closed pathways', () => reportsBench({ add: (row) => rows.push(row), log }));
    const temporalPhases = async () => {
      const built = await timed('bundling workflows', () => bundles(dir));
      const h = await timed('starting the dev server (WAL, synchronous=FULL) and a worker process', () => startHarness({ dir: join(dir, 'main'), bundles: built }));
      const b: Bench = { h, sizes, add: (row) => rows.push(row), log };
      try {
        await timed('warming up', () => starts({ ...b, sizes: { ...sizes, BENCH_STARTS: 20 } }, 'warm'));
        await phase('starts', 'start throughput', async () => {
          const s = await starts(b);
          rows.push({ section: 'start', measure: 'pathways started per second (first task done)', value: s.pathway, unit: '/s', better: 'higher', baseline: { label: 'no-op workflow', value: s.noop } });
        });
        await phase('trips', 'round trips', async () => {
          const trips = await roundTrips(b);
          rows.push(machineCost(trips.get(Math.min(...trips.keys()))!.noop.latency.p50));
        });
        await phase('encryption', 'round trips with and without payload encryption', () => encryption(b));
        await phase('events', 'history events per action', () => eventsPerTransition(b));
        await phase('refusals', 'refused actions', () => rejections(b));
        await phase('eviction', 'latency after cache eviction', () => eviction(b));
        await phase('memory', 'worker memory per cached workflow', () => memory(b));
        await phase('stay', 'an eight-week stay on the time-skipping server', () => stayHistory(b));
        await phase('population', 'reminders and queries in a growing population', () => population(b));
        if (sizes.BENCH_CLUSTER) await phase('cluster', 'the cluster with 1, 2 and 3 workers, beside the dev server', () => clusterScaling(b));
      } finally {
        await h.stop();
      }
      if (sizes.BENCH_PRAGMAS) await phase('pragmas', 'SQLite settings compared on fresh servers', () => pragmas({ sizes, add: (row) => rows.push(row), log }, built, dir));
    };
    if (!sizes.BENCH_ONLY?.every((p) => p === 'reports')) await temporalPhases();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const judged = rows.map(judge);
  const results = { date: new Date().toISOString(), minutes: (Date.now() - started) / 60_000, machine: machine(), sizes, rows: judged };
  mkdirSync(dirname(sizes.BENCH_OUT), { recursive: true });
  writeFileSync(sizes.BENCH_OUT, `${JSON.stringify(results, null, 2)}\n`);
  log(`\n${table(judged)}\n`);
  log(`${judged.filter((r) => r.met === false).length} of ${judged.filter((r) => r.met !== undefined).length} targets missed; results in ${sizes.BENCH_OUT} (${results.minutes.toFixed(1)} min)`);
}

main().catch((err) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
