import type { Kysely, Selectable } from 'kysely';
import type { Database, SessionsTable } from './schema';

/**
 * Server-side sessions: a session ends for real when revoked, at its absolute expiry, or
 * after `idleMs` without use. Ended sessions stay until purged, so the API can answer
 * `session-ended` rather than `not-signed-in`. Times are epoch milliseconds.
 */
export interface Session {
  id: string;
  accountId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  data: Record<string, unknown>;
}

export type SessionLookup =
  | { state: 'live'; session: Session }
  | { state: 'ended'; why: 'revoked' | 'expired' | 'idle'; accountId: string }
  | { state: 'unknown' };

export interface SessionClock {
  now: number;
  /** Idle timeout: a session unused this long has ended. */
  idleMs: number;
}

/** A new session; false if the id is taken (ids are random: that is a caller's bug). */
export async function createSession(
  db: Kysely<Database>,
  s: { id: string; accountId: string; now: number; lifetimeMs: number; data?: Record<string, unknown> },
): Promise<boolean> {
  if (!(s.lifetimeMs > 0)) throw new RangeError(`session lifetime must be positive, got ${s.lifetimeMs} ms`);
  const now = new Date(s.now);
  const r = await db
    .insertInto('sessions')
    .values({
      id: s.id,
      account_id: s.accountId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(s.now + s.lifetimeMs),
      revoked_at: null,
      data: JSON.stringify(s.data ?? {}),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

export async function lookupSession(db: Kysely<Database>, id: string, clock: SessionClock): Promise<SessionLookup> {
  const row = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) return { state: 'unknown' };
  const why = endedWhy(row, clock);
  return why ? { state: 'ended', why, accountId: row.account_id } : { state: 'live', session: toSession(row) };
}

/**
 * Marks a live session as used now, and replaces its data when given (a session store's
 * `set`). False when the session is unknown or has ended: touching never revives one.
 */
export async function touchSession(db: Kysely<Database>, id: string, clock: SessionClock, data?: Record<string, unknown>): Promise<boolean> {
  const now = new Date(clock.now);
  const r = await db
    .updateTable('sessions')
    .set({ last_seen_at: now, ...(data === undefined ? {} : { data: JSON.stringify(data) }) })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .where('last_seen_at', '>', new Date(clock.now - clock.idleMs))
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Ends one session (sign-out). False if it was unknown or already revoked. */
export async function revokeSession(db: Kysely<Database>, id: string, now: number): Promise<boolean> {
  const r = await db.updateTable('sessions').set({ revoked_at: new Date(now) }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

/** Ends every session of an account (password or role change, removal, an admin's order). */
export async function revokeAccountSessions(db: Kysely<Database>, accountId: string, now: number): Promise<number> {
  const r = await db
    .updateTable('sessions')
    .set({ revoked_at: new Date(now) })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Deletes sessions that ended (revoked, expired or idle) before `endedBefore`; returns how many. */
export async function purgeEndedSessions(db: Kysely<Database>, o: { endedBefore: number; idleMs: number }): Promise<number> {
  const cutoff = new Date(o.endedBefore);
  const r = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('revoked_at', '<', cutoff),
        eb('expires_at', '<', cutoff),
        eb('last_seen_at', '<', new Date(o.endedBefore - o.idleMs)),
      ]),
    )
    .executeTakeFirst();
  return Number(r.numDeletedRows);
}

function endedWhy(row: Selectable<SessionsTable>, clock: SessionClock): 'revoked' | 'expired' | 'idle' | null {
  if (row.revoked_at) return 'revoked';
  if (row.expires_at.getTime() <= clock.now) return 'expired';
  if (row.last_seen_at.getTime() <= clock.now - clock.idleMs) return 'idle';
  return null;
}

const toSession = (r: Selectable<SessionsTable>): Session => ({
  id: r.id,
  accountId: r.account_id,
  createdAt: r.created_at.getTime(),
  lastSeenAt: r.last_seen_at.getTime(),
  expiresAt: r.expires_at.getTime(),
  data: r.data,
});
