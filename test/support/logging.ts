import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

const levels = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const satisfies readonly LogLevel[];

/**
 * How much Temporal and the workers say in tests: WARN, so a failure is easy to find among
 * the output; `TEST_LOG_LEVEL=INFO` (or DEBUG, TRACE) shows every task and state change.
 */
export function testLogLevel(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const asked = env.TEST_LOG_LEVEL?.toUpperCase();
  if (!asked) return 'WARN';
  if (!(levels as readonly string[]).includes(asked)) throw new Error(`TEST_LOG_LEVEL is ${env.TEST_LOG_LEVEL}: use one of ${levels.join(', ')}`);
  return asked as LogLevel;
}

let installed = false;
/**
 * Installs the SDK's runtime at the test log level, once per test file; call it before the
 * first worker, connection or replay (the SDK installs an INFO-level one on first use).
 */
export function installTestRuntime(): void {
  if (installed) return;
  const level = testLogLevel();
  Runtime.install({ logger: new DefaultLogger(level), telemetryOptions: { logging: { filter: { core: level, other: 'ERROR' } } } });
  installed = true;
}
