import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial';
import * as accessLogByActor from './0002-access-log-by-actor';
import * as partners from './0003-partners';
import * as recordAsOf from './0004-record-as-of';

/**
 * Every migration, by name, in order. Listed here rather than read from the folder, so a
 * bundle and tsx see the same set. Never edit or rename one that has shipped: add the next.
 * Forward only (no `down`): going back is restoring a backup.
 */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-access-log-by-actor': accessLogByActor,
  '0003-partners': partners,
  '0004-record-as-of': recordAsOf,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
