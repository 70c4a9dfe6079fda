import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { clientDataConverter } from '../../codec/data-converter';
import { startDevServer } from '../../scripts/dev-server';
import { installTestRuntime } from './logging';
import { freePort } from './net';
import { testKeyring } from './keys';

/**
 * A real Temporal CLI dev server on a fresh SQLite file and a free port, with a client.
 * `close` stops both and removes the file.
 */
export async function devCluster(name: string) {
  installTestRuntime(); // for the workers and replays a test runs in this process
  const dir = mkdtempSync(join(tmpdir(), `pathways-${name}-`));
  const port = await freePort();
  const dev = await startDevServer({ port, uiPort: await freePort(), dbFile: join(dir, 'temporal.db'), namespace: 'default', quiet: true }).catch(
    (err: unknown) => {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    },
  );
  const address = `127.0.0.1:${port}`;
  const connection = await Connection.connect({ address });
  return {
    address,
    /** The SQLite file (and its -wal beside it) the server keeps its state in. */
    dbFile: join(dir, 'temporal.db'),
    connection,
    client: new Client({ connection, dataConverter: clientDataConverter(testKeyring) }),
    close: async () => {
      await connection.close();
      await dev.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
