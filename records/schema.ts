import type { ColumnType, Generated } from 'kysely';

/**
 * The tables as Kysely sees them, matching `migrations/0001-initial.ts`. JSON columns are
 * written as JSON text (`JSON.stringify`), which `pg` and PGlite both pass through unchanged;
 * a JS array handed to `pg` would become a PostgreSQL array instead.
 */
export interface Database {
  audit_entries: AuditEntriesTable;
  pathway_records: PathwayRecordsTable;
  teams: TeamsTable;
  facilities: FacilitiesTable;
  partners: PartnersTable;
  access_log: AccessLogTable;
  access_log_head: AccessLogHeadTable;
  sessions: SessionsTable;
}

/** A timestamptz: read as Date, written as Date. */
type Timestamp = ColumnType<Date, Date, Date>;
/** jsonb: read as parsed JSON, written as JSON text. */
type Json<T> = ColumnType<T, string, string>;

export interface AuditEntriesTable {
  pathway_id: string;
  seq: number;
  at: Timestamp;
  actor_id: string;
  actor_role: string;
  type: string;
  details: ColumnType<Record<string, unknown> | string | null, string | null, string | null>;
  version: number | null;
}

export interface PathwayRecordsTable {
  pathway_id: string;
  citizen_ref: string;
  team: string;
  opened_at: Timestamp;
  closed_at: ColumnType<Date | null, Date | null, Date | null>;
  closure_reason: string | null;
  outcome: string | null;
  record: Json<unknown>;
  updated_at: Timestamp;
  /** The last audit entry the record reflects; null in records written before it was kept. */
  as_of_seq: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface TeamsTable {
  id: string;
  name: string;
  language: 'da' | 'en';
  coordinator_emails: string[];
  supervisor_emails: string[];
  active: boolean;
}

export interface FacilitiesTable {
  id: string;
  name: string;
  capacity: number;
  active: boolean;
}

/** Added by `migrations/0003-partners.ts`. */
export interface PartnersTable {
  id: string;
  name: string;
  kind: 'region-psychiatry' | 'housing-office' | 'police' | 'other';
  contact_name: string;
  contact_email: string | null;
  response_days: number;
  active: boolean;
}

export interface AccessLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: string;
  actor_role: string;
  actor_teams: string[];
  action: string;
  pathway_id: string | null;
  outcome: string;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

/** One row: the newest entry's id and hash. Locking it serialises appends. */
export interface AccessLogHeadTable {
  singleton: ColumnType<boolean, never, never>;
  last_id: number;
  hash: string;
}

export interface SessionsTable {
  id: string;
  account_id: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: ColumnType<Date | null, Date | null, Date | null>;
  data: Json<Record<string, unknown>>;
}
