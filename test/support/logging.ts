import { DefaultLogger, Runtime, type LogEntry, type LogLevel } from '@temporalio/worker';

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
 * first worker, connection or replay (the SDK installs an INFO-level one on first use). With
 * `capture`, every line from `captureFrom` up (workflows' own included) also goes to it, and
 * only the test level's lines are printed; the first call in a file decides. `quietCore`: the SDK
 * core (which prints its own lines) stays at the test level, for captures of lang-side lines only.
 */
export function installTestRuntime(o: { capture?: (entry: LogEntry) => void; captureFrom?: LogLevel; quietCore?: boolean } = {}): void {
  if (installed) return;
  const level = testLogLevel();
  const printer = new DefaultLogger(level);
  const logger = o.capture
    ? new DefaultLogger(o.captureFrom ?? level, (entry) => {
        o.capture!(entry);
        if (levels.indexOf(entry.level) >= levels.indexOf(level)) printer.log(entry.level, entry.message, entry.meta);
      })
    : printer;
  const lowest = o.quietCore ? level : levels[Math.min(levels.indexOf(level), levels.indexOf(o.captureFrom ?? level))]!;
  Runtime.install({ logger, telemetryOptions: { logging: { filter: { core: lowest, other: 'ERROR' } } } });
  installed = true;
}
