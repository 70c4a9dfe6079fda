import { sql, type Kysely } from 'kysely';

/** The privacy officer reads the access log by person too ("what did this account open?"). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index access_log_actor on access_log (actor_id, id)`.execute(db);
}
