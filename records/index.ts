/** The record store: what outlives a pathway's workflow run, in PostgreSQL (PGlite or a server). */
export { openRecords, type Records, type RecordsTarget } from './open';
export { describeTarget, recordsTargetOf } from './settings';
export { RecordsLockedError } from './folder-lock';
export { MigrationError, migrateToLatest } from './migrate';
export type { Database } from './schema';
export * from './audit';
export * from './pathway-records';
export * from './reference-data';
export * from './partners';
export * from './team-directory-import';
export * from './access-log';
export * from './sessions';
export * from './reports';
