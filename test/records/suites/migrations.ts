import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { migrateToLatest } from '../../../records';
import type { StoreRef } from './context';

export function migrationsSuite(store: StoreRef) {
  describe('migrations', () => {
    test('opening applied every migration once; applying them again changes nothing', async () => {
      const { db } = store();
      const before = await schemaSnapshot(store);
      expect(before.migrations).toEqual(['0001-initial', '0002-access-log-by-actor', '0003-partners', '0004-record-as-of']);
      expect(await migrateToLatest(db)).toEqual([]);
      expect(await schemaSnapshot(store)).toEqual(before);
    });
  });
}

/** Tables, columns, indexes, triggers, applied migrations and the access-log head. */
async function schemaSnapshot(store: StoreRef) {
  const { db } = store();
  const rows = async (q: ReturnType<typeof sql>) => (await q.execute(db)).rows;
  return {
    columns: await rows(sql`select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns
      where table_schema = 'public' order by table_name, column_name`),
    indexes: await rows(sql`select indexname, indexdef from pg_indexes where schemaname = 'public' order by indexname`),
    triggers: await rows(sql`select trigger_name, event_manipulation from information_schema.triggers order by 1, 2`),
    migrations: (await rows(sql`select name from kysely_migration order by name`)).map((r) => (r as { name: string }).name),
    head: await rows(sql`select count(*) as n from access_log_head`),
  };
}
