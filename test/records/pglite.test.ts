import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { openRecords, type Records } from '../../records';
import { recordStoreSuites } from './suites/all';

describe('record store on PGlite', () => {
  const dir = mkdtempSync(join(tmpdir(), 'records-pglite-'));
  let records: Records | undefined;
  beforeAll(async () => {
    records = await openRecords({ dataDir: join(dir, 'records') });
  });
  afterAll(async () => {
    await records?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  recordStoreSuites(() => records!);
});
