import { existsSync, readFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePort } from './net';

/** Where outgoing connections' local ports start: Linux says in /proc; elsewhere 49152 or above. */
const RANGE = '/proc/sys/net/ipv4/ip_local_port_range';
const outgoingFrom = existsSync(RANGE) ? Number(readFileSync(RANGE, 'utf8').trim().split(/\s+/)[0]) : 49_152;

describe('a free port for a test server', () => {
  it('lies below the ports outgoing connections are given, so none can take it before its server listens', async () => {
    const port = await freePort();
    expect(port).toBeLessThan(outgoingFrom);
    // It is free: a server listens on it, and a connection to it gets a local port from the other range.
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const local = await new Promise<number>((resolve, reject) => {
      const c = createConnection({ port, host: '127.0.0.1' }, () => (resolve(c.localPort!), c.destroy()));
      c.once('error', reject);
    });
    await new Promise((resolve) => server.close(resolve));
    expect(local).toBeGreaterThanOrEqual(outgoingFrom);
  });
});
