import { sql, type Kysely } from 'kysely';

/**
 * The first schema: the audit trail, closed pathways, reference data, the access log and
 * sessions. One statement per query: PGlite runs parameterised queries, which take only one.
 */
const statements = [
  sql`create table audit_entries (
    pathway_id text not null,
    seq integer not null check (seq >= 0),
    at timestamptz not null,
    actor_id text not null,
    actor_role text not null,
    type text not null,
    details jsonb,
    version integer,
    primary key (pathway_id, seq)
  )`,

  sql`create table pathway_records (
    pathway_id text primary key,
    citizen_ref text not null,
    team text not null,
    opened_at timestamptz not null,
    closed_at timestamptz,
    closure_reason text,
    outcome text,
    record jsonb not null,
    updated_at timestamptz not null
  )`,
  sql`create index pathway_records_team_closed on pathway_records (team, closed_at)`,
  sql`create index pathway_records_closed on pathway_records (closed_at)`,

  sql`create table teams (
    id text primary key,
    name text not null,
    language text not null check (language in ('da', 'en')),
    coordinator_emails text[] not null default '{}',
    supervisor_emails text[] not null default '{}',
    active boolean not null default true
  )`,
  sql`create table facilities (
    id text primary key,
    name text not null,
    capacity integer not null check (capacity >= 0),
    active boolean not null default true
  )`,

  sql`create table access_log (
    id bigserial primary key,
    at timestamptz not null,
    actor_id text not null,
    actor_role text not null,
    actor_teams text[] not null,
    action text not null,
    pathway_id text,
    outcome text not null,
    details jsonb not null,
    prev_hash text not null,
    hash text not null
  )`,
  sql`create index access_log_pathway on access_log (pathway_id, id)`,
  // Append-only for the application too: changing history takes disabling this first.
  sql`create function access_log_append_only() returns trigger language plpgsql as $$
    begin raise exception 'the access log is append-only'; end $$`,
  sql`create trigger access_log_append_only before update or delete or truncate on access_log
    for each statement execute function access_log_append_only()`,
  sql`create table access_log_head (
    singleton boolean primary key default true check (singleton),
    last_id bigint not null,
    hash text not null
  )`,
  sql`insert into access_log_head (last_id, hash) values (0, ${'0'.repeat(64)})`,

  sql`create table sessions (
    id text primary key,
    account_id text not null,
    created_at timestamptz not null,
    last_seen_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz,
    data jsonb not null
  )`,
  sql`create index sessions_account on sessions (account_id)`,
  sql`create index sessions_expires on sessions (expires_at)`,
];

export async function up(db: Kysely<unknown>) {
  for (const statement of statements) await statement.execute(db);
}
