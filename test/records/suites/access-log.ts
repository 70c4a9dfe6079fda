import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { appendAccessLog, GENESIS_HASH, pageAccessLog, verifyAccessLogChain, type AccessLogInput } from '../../../records';
import { uniqueId, type StoreRef } from './context';

const read = (pathwayId: string | null, o: Partial<AccessLogInput> = {}): AccessLogInput => ({
  at: Date.UTC(2026, 2, 1, 9, 30, 0, 123),
  actor: { id: 'sup-1', role: 'supervisor', teams: ['team-b', 'team-a'] },
  action: 'pathway.read',
  pathwayId,
  outcome: 'allowed',
  details: { via: 'detail', fields: ['audit', 'stage'], n: 2 },
  ...o,
});

export function accessLogSuite(store: StoreRef) {
  describe('access log', () => {
    test('each entry carries the hash of the one before, and reads back as appended', async () => {
      const { db } = store();
      const pathway = uniqueId('p');
      const first = await appendAccessLog(db, read(pathway));
      const second = await appendAccessLog(db, read(pathway, { action: 'audit.read', outcome: 'refused', details: undefined }));
      const signIn = await appendAccessLog(db, read(null, { action: 'session.sign-in' }));
      expect(second.prevHash).toBe(first.hash);
      expect(signIn.prevHash).toBe(second.hash);
      expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await pageAccessLog(db, { pathwayId: pathway })).toEqual([first, second]);
      expect(await pageAccessLog(db, { afterId: first.id, limit: 2 })).toEqual([second, signIn]);
      expect(await verifyAccessLogChain(db)).toBeNull();
    });

    test('the very first entry follows the genesis hash', async () => {
      const { db } = store();
      await appendAccessLog(db, read(uniqueId('p')));
      const [oldest] = await pageAccessLog(db, { limit: 1 });
      expect(oldest!.prevHash).toBe(GENESIS_HASH);
    });

    test('appends from many connections at once still form one unbroken chain', async () => {
      const { db } = store();
      const pathway = uniqueId('p');
      const appended = await Promise.all(Array.from({ length: 30 }, (_, i) => appendAccessLog(db, read(pathway, { details: { i } }))));
      expect(new Set(appended.map((e) => e.prevHash)).size).toBe(30);
      expect(await verifyAccessLogChain(db)).toBeNull();
    });

    test('the application cannot change or delete an entry', async () => {
      const { db } = store();
      const e = await appendAccessLog(db, read(uniqueId('p')));
      await expect(db.updateTable('access_log').set({ outcome: 'allowed' }).where('id', '=', e.id).execute()).rejects.toThrow(/append-only/);
      await expect(db.deleteFrom('access_log').where('id', '=', e.id).execute()).rejects.toThrow(/append-only/);
      expect(await verifyAccessLogChain(db)).toBeNull();
    });

    test('the chain check finds an edited entry, a removed one and a cut-off tail, and names the first broken entry', async () => {
      const { db } = store();
      const pathway = uniqueId('p');
      const [a, b, c] = [
        await appendAccessLog(db, read(pathway)),
        await appendAccessLog(db, read(pathway, { outcome: 'refused' })),
        await appendAccessLog(db, read(pathway)),
      ];
      // Someone with the database's owner rights, bypassing the append-only trigger.
      const tamper = async (change: () => Promise<unknown>) => {
        await sql`alter table access_log disable trigger access_log_append_only`.execute(db);
        try {
          await change();
        } finally {
          await sql`alter table access_log enable trigger access_log_append_only`.execute(db);
        }
      };
      const restore = (e: typeof a) =>
        db
          .insertInto('access_log')
          .values({ id: e.id, at: new Date(e.at), actor_id: e.actor.id, actor_role: e.actor.role, actor_teams: [...e.actor.teams], action: e.action, pathway_id: e.pathwayId, outcome: e.outcome, details: JSON.stringify(e.details), prev_hash: e.prevHash, hash: e.hash })
          .execute();

      await tamper(() => db.updateTable('access_log').set({ outcome: 'allowed' }).where('id', '=', b.id).execute());
      expect(await verifyAccessLogChain(db, 2)).toEqual({ id: b.id, problem: 'hash-mismatch' });
      await tamper(() => db.updateTable('access_log').set({ outcome: b.outcome }).where('id', '=', b.id).execute());
      expect(await verifyAccessLogChain(db)).toBeNull();

      await tamper(() => db.updateTable('access_log').set({ details: JSON.stringify({ ...a.details, n: 3 }) }).where('id', '=', a.id).execute());
      expect(await verifyAccessLogChain(db)).toEqual({ id: a.id, problem: 'hash-mismatch' });
      await tamper(() => db.updateTable('access_log').set({ details: JSON.stringify(a.details) }).where('id', '=', a.id).execute());

      await tamper(() => db.deleteFrom('access_log').where('id', '=', b.id).execute());
      expect(await verifyAccessLogChain(db)).toEqual({ id: c.id, problem: 'prev-hash-mismatch' });
      await tamper(() => restore(b));
      expect(await verifyAccessLogChain(db)).toBeNull();

      await tamper(() => db.deleteFrom('access_log').where('id', '=', c.id).execute());
      expect(await verifyAccessLogChain(db)).toEqual({ id: c.id, problem: 'head-mismatch' });
      await tamper(() => restore(c));
      expect(await verifyAccessLogChain(db)).toBeNull();
    });
  });
}
