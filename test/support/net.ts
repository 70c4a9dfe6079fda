import { createServer } from 'node:net';

/** Where `freePort` looks: below 32768, under the local ports the system gives outgoing connections. */
const PORTS_FROM = 20_000;
const PORTS_TO = 32_000;

/**
 * A loopback port nobody listens on right now, tried at random from 20000: below the range
 * the system draws outgoing connections' local ports from (from 32768 on Linux, 49152
 * elsewhere), so no connection opened before its server binds can take it. A port that
 * `listen(0)` gives out is in that range, and the Temporal server opens tens of connections
 * to PostgreSQL before it listens (once in a `test:cluster` run, it died at start with a
 * fatal log in its frontend's start). Temporal also keeps membership ports in a smallint
 * column.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = PORTS_FROM + Math.floor(Math.random() * (PORTS_TO - PORTS_FROM));
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
}
