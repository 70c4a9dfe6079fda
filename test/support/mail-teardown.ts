import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { teamDirectory } from './smtp';
import { killAllWorkers } from './worker-process';

/**
 * For a file whose tests mail through worker processes: a team directory for them, removed
 * after all; and after each test its workers killed, then what `started` names closed (the
 * servers, in order).
 */
export function mailTestTeardown(started: () => readonly ({ close(): Promise<unknown> } | undefined)[]): string {
  const directory = teamDirectory();
  afterEach(async () => {
    await killAllWorkers();
    for (const s of started()) await s?.close();
  });
  afterAll(() => rmSync(dirname(directory), { recursive: true, force: true }));
  return directory;
}
