import { z } from 'zod';
import { parseEnv } from '../config/env';

const list = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'expected numbers separated by commas, for example 1,8,32')
  .transform((s) => s.split(',').map(Number));

/** The parts of a run, in the order they run; BENCH_ONLY picks some. */
export const phases = ['starts', 'trips', 'encryption', 'events', 'refusals', 'eviction', 'memory', 'stay', 'population', 'cluster', 'pragmas', 'reports'] as const;
export type Phase = (typeof phases)[number];

/**
 * Sizes of a bench run, from the environment. The defaults take well under ten minutes on
 * two cores; BENCH_QUICK=1 shrinks everything for a smoke run.
 */
const SizesSchema = z.object({
  /** Pathways (and no-op workflows) started for the start-throughput figure. */
  BENCH_STARTS: z.coerce.number().int().positive().default(200),
  /** Concurrent clients for the transition round trip. */
  BENCH_CLIENTS: list.default([1, 8, 32]),
  /**
   * Seconds each side runs at each client count. At 6, the 8-client p50 ratio of the same code
   * read 1.19 to 1.29 in three full runs: too short to tell it from the 1.2 target.
   */
  BENCH_SECONDS: z.coerce.number().positive().default(12),
  /** History sizes, in events, for latency after the cache was evicted. */
  BENCH_HISTORY: list.default([500, 2_000, 3_000]),
  /**
   * Running pathways (each with armed timers) at which reminders and queries are measured.
   * 10,000 is left out of the default: on two cores the dev server and worker start about 15
   * pathways a second, so it alone takes over ten minutes (BENCH_POPULATIONS=100,1000,10000).
   */
  BENCH_POPULATIONS: list.default([100, 1_000]),
  /** Pathways (and no-op workflows) held in a worker's cache for the memory figure. */
  BENCH_CACHED: z.coerce.number().int().positive().default(300),
  /** The cluster phase (needs Go and PostgreSQL; the first run builds the server): true or false. */
  BENCH_CLUSTER: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  /** Running pathways built and queried on the cluster (3 workers), in the cluster phase. */
  BENCH_CLUSTER_POPULATION: z.coerce.number().int().positive().default(10_000),
  /** Compare SQLite pragmas on fresh servers: true or false. */
  BENCH_PRAGMAS: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** Only these phases, for example BENCH_ONLY=population; all by default. */
  BENCH_ONLY: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(z.enum(phases)))
    .optional(),
  /** Where the JSON results go. */
  BENCH_OUT: z.string().min(1).default('bench/results/latest.json'),
});
export type Sizes = z.infer<typeof SizesSchema>;

const quick = {
  BENCH_STARTS: '40',
  BENCH_CLIENTS: '1,4',
  BENCH_SECONDS: '2',
  BENCH_HISTORY: '200,400',
  BENCH_POPULATIONS: '50,200',
  BENCH_CACHED: '50',
  BENCH_CLUSTER_POPULATION: '200',
  BENCH_PRAGMAS: 'false',
};

export function loadSizes(env: Record<string, string | undefined> = process.env): Sizes {
  const given = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true' ? { ...quick, ...env } : env;
  return parseEnv(SizesSchema, given, 'bench sizes');
}
