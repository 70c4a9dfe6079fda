import { sql, type Kysely } from 'kysely';

/** Partner organisations outside the municipality, with the response time agreed with each. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table partners (
    id text primary key,
    name text not null,
    kind text not null check (kind in ('region-psychiatry', 'housing-office', 'police', 'other')),
    contact_name text not null,
    contact_email text,
    response_days integer not null check (response_days between 1 and 90),
    active boolean not null default true
  )`.execute(db);
}
