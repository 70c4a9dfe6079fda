import { DefaultLogger, type LogLevel } from '@temporalio/worker';
import { pino } from 'pino';

/**
 * The worker's log: one JSON line per entry on stdout (pino), as the API logs, so one collector
 * reads both. The SDK's attributes come along (workflow and activity ids and types, and the
 * request's `correlationId`); workflow ids are opaque, and no payload is ever logged.
 */
export function jsonWorkerLogger(level: LogLevel, destination?: { write(line: string): void }): DefaultLogger {
  const out = pino({ level: level.toLowerCase(), base: { component: 'worker' } }, destination ?? pino.destination(1));
  return new DefaultLogger(level, ({ level: l, message, meta }) => {
    // Timestamps and the like may be bigints, which JSON cannot hold.
    const fields = Object.fromEntries(Object.entries(meta ?? {}).map(([k, v]) => [k, typeof v === 'bigint' ? String(v) : v]));
    out[l.toLowerCase() as 'info'](fields, message);
  });
}
