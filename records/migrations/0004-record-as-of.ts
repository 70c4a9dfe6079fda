import { sql, type Kysely } from 'kysely';

/**
 * The audit entry a pathway's record is as of. A record is written both at once from the
 * worker and by the server's retried activity, so an older one may arrive last: it must not
 * replace a newer one. Null in records written before (they are replaced as before).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table pathway_records add column as_of_seq integer`.execute(db);
}
