import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { openRecords, type Records } from '../../records';
import { findPostgresBin, startPostgres, type PostgresServer } from '../support/postgres';
import { recordStoreSuites } from './suites/all';

/**
 * The same suites on a real PostgreSQL server, started here on loopback. Without one
 * installed this variant cannot run: it says so, and fails where RECORDS_REQUIRE_POSTGRES=1
 * (CI, which installs Debian's `postgresql`).
 */
const bin = findPostgresBin();

if (!bin) {
  describe('record store on PostgreSQL', () => {
    test('NOT RUN: no PostgreSQL server installed (apt-get install postgresql), only PGlite was tested', () => {
      console.warn('record store: the PostgreSQL variant did not run: no server under /usr/lib/postgresql');
      expect(process.env.RECORDS_REQUIRE_POSTGRES, 'RECORDS_REQUIRE_POSTGRES=1 but no PostgreSQL server is installed').not.toBe('1');
    });
  });
} else {
  describe(`record store on PostgreSQL (${bin})`, () => {
    let server: PostgresServer | undefined;
    let records: Records | undefined;
    beforeAll(async () => {
      server = await startPostgres();
      records = await openRecords({ databaseUrl: server.url });
    });
    afterAll(async () => {
      await records?.close();
      await server?.stop();
    });

    test('runs against a real server', async () => {
      expect(records!.backend).toBe('postgres');
      expect(server!.version).toMatch(/^\d+/);
    });
    recordStoreSuites(() => records!);
  });
}
