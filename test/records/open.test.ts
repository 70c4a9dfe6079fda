import { migrationProvider } from '../../records/migrations';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, test } from 'vitest';
import { countAuditEntries, insertAuditEntries, openRecords, RecordsLockedError, recordsTargetOf } from '../../records';

const dir = mkdtempSync(join(tmpdir(), 'records-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const entry = (seq: number) => ({ seq, at: Date.UTC(2026, 0, 1), by: { id: 'c', role: 'coordinator' }, type: 'note.add' });

describe('opening the embedded record store', () => {
  test('creates the data folder, nested, readable by its owner only; reopening keeps what was written', async () => {
    const dataDir = join(dir, 'deep', 'records');
    const previous = process.umask(0o022);
    try {
      const first = await openRecords({ dataDir });
      expect(first.backend).toBe('pglite');
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      await insertAuditEntries(first.db, 'p-1', [entry(0), entry(1)]);
      await first.close();
    } finally {
      process.umask(previous);
    }
    const again = await openRecords({ dataDir });
    try {
      expect(await countAuditEntries(again.db, 'p-1')).toBe(2);
      const { rows } = await sql<{ n: number }>`select count(*) as n from kysely_migration`.execute(again.db);
      expect(rows[0]!.n).toBe(Object.keys(await migrationProvider.getMigrations()).length); // each migration once
    } finally {
      await again.close();
    }
  });

  test('an existing folder with loose permissions is tightened to the owner only', async () => {
    const dataDir = join(dir, 'loose');
    mkdirSync(dataDir);
    chmodSync(dataDir, 0o755);
    const records = await openRecords({ dataDir });
    await records.close();
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });

  test('a query waits for another holder\'s transaction instead of joining it (PGlite is one session)', async () => {
    const records = await openRecords({ dataDir: join(dir, 'tx') });
    try {
      const { db } = records;
      let outside: Promise<number> | undefined;
      await expect(
        db.transaction().execute(async (tx) => {
          await insertAuditEntries(tx, 'p-tx', [entry(0)]);
          outside = countAuditEntries(db, 'p-tx');
          await new Promise((r) => setTimeout(r, 50));
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      // Had the outside query run inside the transaction, it would have counted the row.
      expect(await outside).toBe(0);
      expect(await countAuditEntries(db, 'p-tx')).toBe(0);
      // A failed statement inside a transaction releases the connection too.
      await expect(db.transaction().execute((tx) => sql`select * from no_such_table`.execute(tx))).rejects.toThrow(/no_such_table/);
      expect(await insertAuditEntries(db, 'p-tx', [entry(0)])).toBe(1);
    } finally {
      await records.close();
    }
  });

  test('a second process (or a second open) is kept out while the store is open; a dead owner\'s lock is taken over', async () => {
    const dataDir = join(dir, 'locked');
    const first = await openRecords({ dataDir });
    try {
      await expect(openRecords({ dataDir })).rejects.toThrow(new RegExp(`in use by process ${process.pid} .*set DATABASE_URL`));
      await expect(openRecords({ dataDir })).rejects.toBeInstanceOf(RecordsLockedError);
      await insertAuditEntries(first.db, 'p-lock', [entry(0)]);
    } finally {
      await first.close();
    }
    // The lock of a process that is gone (as after kill -9) is stale.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dataDir, 'lock'), `${gone.stdout}\n`);
    const again = await openRecords({ dataDir });
    try {
      expect(readFileSync(join(dataDir, 'lock'), 'utf8')).toBe(`${process.pid}\n`);
      expect(await countAuditEntries(again.db, 'p-lock')).toBe(1);
    } finally {
      await again.close();
    }
    expect(existsSync(join(dataDir, 'lock'))).toBe(false);
  });

  test('DATABASE_URL picks the server; without it the embedded folder is used', () => {
    expect(recordsTargetOf({ DATABASE_URL: 'postgres://u@db/records' })).toEqual({ databaseUrl: 'postgres://u@db/records' });
    expect(recordsTargetOf({ DATABASE_URL: '', DATA_DIR: '/srv/pathways' })).toEqual({ dataDir: '/srv/pathways/records' });
    expect(recordsTargetOf({})).toEqual({ dataDir: resolve('data/records') });
    expect(() => recordsTargetOf({ DATABASE_URL: 'mysql://u@db/records' })).toThrow(/DATABASE_URL.*postgres:\/\//);
  });
});
