import { Client } from '@temporalio/client';
import { clientDataConverter } from '../../codec/data-converter';
import { temporalCluster } from '../../test/support/temporal-cluster';
import type { Bench } from '../context';
import { startPathway } from '../drive';
import { benchKeyring, benchPayloadKeys } from '../keys';
import { startWorker, type WorkerProcess } from '../workers';
import { addQueryRows, buildPopulation, queries, signedInApi } from './population';
import { pathwayStarts } from './starts';
import { load, roundTrip, warm } from './transitions';

/**
 * Transitions per second on the cluster (the Temporal server built from its Go module, on
 * PostgreSQL) with 1, 2 and 3 worker processes sharing a PostgreSQL record store, pathway
 * starts with 3, each next to the dev server's single worker in this run; then a population of
 * BENCH_CLUSTER_POPULATION running pathways built with 3 workers, and the stuck-case and
 * caseload pages read over it, against an unfiltered list of as many. On two cores the server,
 * PostgreSQL and the workers share the same CPUs, so the figures bound the overhead rather than
 * show the scaling that more machines give.
 */
export async function clusterScaling(b: Bench): Promise<void> {
  const clients = Math.max(...b.sizes.BENCH_CLIENTS);
  const dev = await roundTrip(b, clients, 'cl-dev');
  const devStarts = await pathwayStarts(b.h.client, b.h.pathwayQueue, b.sizes.BENCH_STARTS, 'cl-dev-starts');
  const cluster = await temporalCluster();
  const client = new Client({ connection: cluster.connection, dataConverter: clientDataConverter(benchKeyring) });
  const workers: WorkerProcess[] = [];
  try {
    const spec = { address: cluster.address, pathwayQueue: 'cluster-pathways', pathwayBundle: b.h.bundles.pathway };
    const env = { DATABASE_URL: cluster.databaseUrl, PAYLOAD_KEYS: benchPayloadKeys };
    let single: number | undefined;
    for (let n = 1; n <= 3; n++) {
      workers.push(await startWorker(spec, env));
      const drivers = await Promise.all(Array.from({ length: clients }, (_, i) => startPathway(client, spec.pathwayQueue, `cluster-${n}-${i}`)));
      await warm(drivers);
      const { perSecond, latency } = await load(drivers, b.sizes.BENCH_SECONDS);
      single ??= perSecond;
      b.log(`  cluster, ${n} worker${n === 1 ? '' : 's'}, ${clients} clients: ${perSecond.toFixed(0)} transitions/s (p50 ${latency.p50.toFixed(1)} ms)`);
      const section = `cluster, ${n} worker${n === 1 ? '' : 's'}, ${clients} clients`;
      b.add({ section, measure: 'sustained transitions per second', value: perSecond, unit: '/s', better: 'higher', baseline: { label: 'dev server, 1 worker', value: dev.pathway.perSecond } });
      b.add({ section, measure: 'p50', value: latency.p50, unit: 'ms', better: 'lower', baseline: { label: 'dev server, 1 worker', value: dev.pathway.latency.p50 } });
      if (n > 1) b.add({ section, measure: 'scaling: transitions per second', value: perSecond, unit: '/s', better: 'higher', baseline: { label: 'cluster, 1 worker', value: single } });
    }
    const clusterStarts = await pathwayStarts(client, spec.pathwayQueue, b.sizes.BENCH_STARTS, 'cluster-starts');
    b.log(`  cluster, 3 workers: ${clusterStarts.toFixed(1)} pathways started per second against ${devStarts.toFixed(1)} on the dev server`);
    b.add({ section: 'cluster, 3 workers', measure: 'pathways started per second (first task done)', value: clusterStarts, unit: '/s', better: 'higher', baseline: { label: 'dev server, 1 worker', value: devStarts } });

    // A country's scale: the population built on the cluster, then its pages read through the API.
    const size = b.sizes.BENCH_CLUSTER_POPULATION;
    const target = { client, queue: spec.pathwayQueue };
    const built = await buildPopulation(target, 0, size);
    const perSecond = size / (built / 1000);
    b.log(`  cluster, 3 workers: ${size} running pathways built in ${(built / 1000).toFixed(0)} s (${perSecond.toFixed(1)} a second)`);
    b.add({ section: 'cluster, 3 workers', measure: `${size} running pathways built, per second (first task done)`, value: perSecond, unit: '/s', better: 'higher', baseline: { label: 'dev server starts, 1 worker', value: devStarts } });
    const app = await signedInApi(target);
    try {
      addQueryRows(b, 'cluster, 3 workers', size, await queries(target, app, size));
    } finally {
      await app.close();
    }
  } finally {
    for (const w of workers) await w.stop();
    await cluster.close();
  }
}
