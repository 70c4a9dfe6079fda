import { describe, expect, test } from 'vitest';
import { createSession, lookupSession, purgeEndedSessions, revokeAccountSessions, revokeSession, touchSession } from '../../../records';
import { uniqueId, type StoreRef } from './context';

const minute = 60_000;
const t0 = Date.UTC(2026, 3, 1, 8, 0);
const clock = (now: number) => ({ now, idleMs: 30 * minute });
const lifetimeMs = 10 * 60 * minute;

export function sessionsSuite(store: StoreRef) {
  describe('sessions', () => {
    test('a created session is live and reads back; an id is never created twice', async () => {
      const { db } = store();
      const [id, account] = [uniqueId('s'), uniqueId('acct')];
      expect(await createSession(db, { id, accountId: account, now: t0, lifetimeMs, data: { csrf: 'x' } })).toBe(true);
      expect(await createSession(db, { id, accountId: uniqueId('other'), now: t0, lifetimeMs })).toBe(false);
      expect(await lookupSession(db, id, clock(t0 + minute))).toEqual({
        state: 'live',
        session: { id, accountId: account, createdAt: t0, lastSeenAt: t0, expiresAt: t0 + lifetimeMs, data: { csrf: 'x' } },
      });
      expect(await lookupSession(db, uniqueId('none'), clock(t0))).toEqual({ state: 'unknown' });
    });

    test('use keeps a session alive past the idle timeout; no use ends it, and touching then does not revive it', async () => {
      const { db } = store();
      const id = uniqueId('s');
      await createSession(db, { id, accountId: 'a', now: t0, lifetimeMs });
      expect(await touchSession(db, id, clock(t0 + 25 * minute), { step: 2 })).toBe(true);
      const live = await lookupSession(db, id, clock(t0 + 50 * minute));
      expect(live).toMatchObject({ state: 'live', session: { lastSeenAt: t0 + 25 * minute, data: { step: 2 } } });
      expect(await lookupSession(db, id, clock(t0 + 55 * minute))).toEqual({ state: 'ended', why: 'idle', accountId: 'a' });
      expect(await touchSession(db, id, clock(t0 + 56 * minute))).toBe(false);
      expect(await lookupSession(db, id, clock(t0 + 56 * minute))).toMatchObject({ state: 'ended', why: 'idle' });
    });

    test('a session ends at its absolute lifetime however often it is used', async () => {
      const { db } = store();
      const id = uniqueId('s');
      await createSession(db, { id, accountId: 'a', now: t0, lifetimeMs });
      for (let t = t0; t < t0 + lifetimeMs; t += 20 * minute) expect(await touchSession(db, id, clock(t))).toBe(true);
      expect(await lookupSession(db, id, clock(t0 + lifetimeMs))).toEqual({ state: 'ended', why: 'expired', accountId: 'a' });
      expect(await touchSession(db, id, clock(t0 + lifetimeMs))).toBe(false);
    });

    test('sign-out revokes one session; an account-wide revoke ends all of that account and no other', async () => {
      const { db } = store();
      const [alice, bob] = [uniqueId('acct'), uniqueId('acct')];
      const [a1, a2, a3, b1] = [uniqueId('s'), uniqueId('s'), uniqueId('s'), uniqueId('s')];
      for (const [id, accountId] of [[a1, alice], [a2, alice], [a3, alice], [b1, bob]] as const) await createSession(db, { id, accountId, now: t0, lifetimeMs });
      expect(await revokeSession(db, a1, t0 + minute)).toBe(true);
      expect(await revokeSession(db, a1, t0 + minute)).toBe(false);
      expect(await lookupSession(db, a1, clock(t0 + minute))).toEqual({ state: 'ended', why: 'revoked', accountId: alice });
      expect(await touchSession(db, a1, clock(t0 + minute))).toBe(false);
      expect(await revokeAccountSessions(db, alice, t0 + 2 * minute)).toBe(2);
      for (const id of [a2, a3]) expect(await lookupSession(db, id, clock(t0 + 2 * minute))).toMatchObject({ state: 'ended', why: 'revoked' });
      expect(await lookupSession(db, b1, clock(t0 + 2 * minute))).toMatchObject({ state: 'live' });
    });

    test('purge deletes sessions that ended before the cut-off and keeps the rest', async () => {
      const { db } = store();
      const base = t0 + 1_000 * 60 * minute; // clear of the other tests' sessions
      const [revoked, idle, expired, live, endedLate] = [uniqueId('s'), uniqueId('s'), uniqueId('s'), uniqueId('s'), uniqueId('s')];
      await createSession(db, { id: revoked, accountId: 'a', now: base, lifetimeMs });
      await revokeSession(db, revoked, base + minute);
      await createSession(db, { id: idle, accountId: 'a', now: base, lifetimeMs });
      await createSession(db, { id: expired, accountId: 'a', now: base - lifetimeMs, lifetimeMs });
      await createSession(db, { id: live, accountId: 'a', now: base, lifetimeMs });
      await touchSession(db, live, clock(base + 20 * minute));
      await createSession(db, { id: endedLate, accountId: 'a', now: base, lifetimeMs });
      await touchSession(db, endedLate, clock(base + 20 * minute));
      await revokeSession(db, endedLate, base + 50 * minute);

      const purged = await purgeEndedSessions(db, { endedBefore: base + 45 * minute, idleMs: 30 * minute });
      expect(purged).toBeGreaterThanOrEqual(3);
      for (const id of [revoked, idle, expired]) expect(await lookupSession(db, id, clock(base + 45 * minute))).toEqual({ state: 'unknown' });
      expect(await lookupSession(db, live, clock(base + 45 * minute))).toMatchObject({ state: 'live' });
      expect(await lookupSession(db, endedLate, clock(base + 45 * minute))).toMatchObject({ state: 'ended', why: 'revoked' });
    });
  });
}
