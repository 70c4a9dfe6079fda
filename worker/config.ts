import { z } from 'zod';
import { ConfigError, parseEnv } from '../config/env';

/** Re-exported for the worker's own modules; everything else imports config/env. */
export { ConfigError };

/**
 * Worker and client configuration, from the environment. The defaults run against the
 * embedded dev server; production sets the address, namespace and TLS or API key of a cluster.
 */
const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const ConfigSchema = z
  .object({
    TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'expected host:port, for example localhost:7233')
      .default('localhost:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('care-pathways'),
    /** Turns TLS on without client certificates (as Temporal Cloud with an API key needs). */
    TEMPORAL_TLS: bool,
    TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    /** Where a prebuilt workflow bundle lives; without it the worker bundles at start-up. */
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    /** Pathways kept in the worker's memory; 0 replays every task. Default: see defaultCachedWorkflows. */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).optional(),
    /**
     * The build this worker runs, as a Worker Deployment version (docs/deployment.md,
     * "Upgrading"): with it the worker takes only its version's tasks, and pathways move to a new
     * version when it is made current (`npm run upgrade`). Without it, no versioning.
     */
    WORKER_BUILD_ID: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/, 'use letters, digits, ".", "_", "+" or "-", for example a git commit')
      .optional(),
    WORKER_DEPLOYMENT_NAME: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/).default('care-pathways'),
    /** What the worker and the SDK log: INFO shows every worker state change, WARN only trouble. */
    WORKER_LOG_LEVEL: z.enum(['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
    /** Where the SDK runtime serves its Prometheus metrics (host:port); off without it. */
    WORKER_METRICS_ADDRESS: z
      .string()
      .regex(/^[A-Za-z0-9.:[\]-]+:\d{1,5}$/, 'expected host:port, for example 127.0.0.1:9464')
      .optional(),
  })
  .refine((c) => !c.TEMPORAL_TLS_CERT_PATH === !c.TEMPORAL_TLS_KEY_PATH, {
    message: 'set TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH together (mutual TLS needs both)',
    path: ['TEMPORAL_TLS_CERT_PATH'],
  });

export type Config = z.infer<typeof ConfigSchema>;

/** The SDK runtime's telemetry: its Prometheus endpoint where one is configured. */
export const telemetryOf = (c: Config) => (c.WORKER_METRICS_ADDRESS ? { metrics: { prometheus: { bindAddress: c.WORKER_METRICS_ADDRESS } } } : {});

/** Parses the environment, naming every bad variable and why. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return parseEnv(ConfigSchema, env, 'configuration');
}

/** TLS when any TLS setting or an API key asks for it; mutual TLS when a client certificate is given. */
export const usesTls = (c: Config) => c.TEMPORAL_TLS || Boolean(c.TEMPORAL_TLS_CERT_PATH || c.TEMPORAL_TLS_CA_PATH || c.TEMPORAL_API_KEY);
