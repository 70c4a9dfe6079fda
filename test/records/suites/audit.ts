import { describe, expect, test } from 'vitest';
import { countAuditEntries, insertAuditEntries, insertManyAuditEntries, pageAuditEntries, type AuditEntry } from '../../../records';
import { uniqueId, type StoreRef } from './context';

const entry = (seq: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  seq,
  at: Date.UTC(2026, 0, 1) + seq * 1000,
  by: { id: 'coord-1', role: 'coordinator' },
  type: 'note.add',
  details: { length: seq, nested: { b: 2, a: [1, 'x'] } },
  version: seq + 1,
  ...extra,
});

export function auditSuite(store: StoreRef) {
  describe('audit entries', () => {
    test('the same entry written twice is one row, and the second write reports nothing new', async () => {
      const { db } = store();
      const pathway = uniqueId('p');
      expect(await insertAuditEntries(db, pathway, [entry(0)])).toBe(1);
      expect(await insertAuditEntries(db, pathway, [entry(0)])).toBe(0);
      expect(await countAuditEntries(db, pathway)).toBe(1);
    });

    test('a replacing write makes its entries win over those already there, and adds the missing', async () => {
      const { db } = store();
      const pathway = uniqueId('p');
      await insertAuditEntries(db, pathway, [entry(0, { type: 'note.add', at: 1 })]);
      expect(await insertAuditEntries(db, pathway, [entry(0), entry(1)], { replace: true })).toBe(2);
      expect(await pageAuditEntries(db, pathway)).toEqual([entry(0), entry(1)]);
      expect(await insertAuditEntries(db, pathway, [entry(0, { type: 'contact.log' })])).toBe(0);
      expect((await pageAuditEntries(db, pathway))[0]!.type).toBe('note.add');
    });

    test('a retried batch that overlaps what was written adds only the missing entries', async () => {
      const { db } = store();
      const pathway = uniqueId('p');
      await insertAuditEntries(db, pathway, [entry(0), entry(1)]);
      expect(await insertAuditEntries(db, pathway, [entry(0), entry(1), entry(2), entry(3)])).toBe(2);
      expect((await pageAuditEntries(db, pathway)).map((e) => e.seq)).toEqual([0, 1, 2, 3]);
    });

    test("several pathways' entries in one write land each under its own pathway, those already there left as they are", async () => {
      const { db } = store();
      const [a, b] = [uniqueId('p'), uniqueId('p')];
      await insertAuditEntries(db, a, [entry(0)]);
      const batch = [
        { pathwayId: a, entries: [entry(0, { type: 'contact.log' }), entry(1)] },
        { pathwayId: b, entries: [entry(0), entry(1), entry(2)] },
        // The same step handed over twice (its task retried): one row.
        { pathwayId: b, entries: [entry(2, { type: 'contact.log' })] },
      ];
      expect(await insertManyAuditEntries(db, batch)).toBe(4);
      expect(await pageAuditEntries(db, a)).toEqual([entry(0), entry(1)]);
      expect(await pageAuditEntries(db, b)).toEqual([entry(0), entry(1), entry(2)]);
    });

    test('entries read back exactly as written, engine entries without version or details too', async () => {
      const { db } = store();
      const pathway = uniqueId('p');
      const engine: AuditEntry = { seq: 1, at: 1_767_225_600_123, by: { id: 'engine', role: 'system' }, type: 'stage.timeout' };
      await insertAuditEntries(db, pathway, [entry(0), engine]);
      expect(await pageAuditEntries(db, pathway)).toEqual([entry(0), engine]);
    });

    test('pages by sequence number after a given one, per pathway, with a count', async () => {
      const { db } = store();
      const [a, b] = [uniqueId('p'), uniqueId('p')];
      // Out of order on purpose: the page is ordered by seq, not by arrival.
      await insertAuditEntries(db, a, [7, 3, 0, 5, 1, 2, 6, 4].map((s) => entry(s)));
      await insertAuditEntries(db, b, [entry(0)]);
      expect((await pageAuditEntries(db, a, { limit: 3 })).map((e) => e.seq)).toEqual([0, 1, 2]);
      expect((await pageAuditEntries(db, a, { afterSeq: 2, limit: 3 })).map((e) => e.seq)).toEqual([3, 4, 5]);
      expect((await pageAuditEntries(db, a, { afterSeq: 5, limit: 3 })).map((e) => e.seq)).toEqual([6, 7]);
      expect(await pageAuditEntries(db, a, { afterSeq: 7 })).toEqual([]);
      expect(await countAuditEntries(db, a)).toBe(8);
      expect(await countAuditEntries(db, b)).toBe(1);
      expect(await countAuditEntries(db, uniqueId('none'))).toBe(0);
    });

    test('a batch larger than one statement can carry is written whole', async () => {
      const { db } = store();
      const pathway = uniqueId('p');
      const many = Array.from({ length: 2_500 }, (_, i) => entry(i));
      expect(await insertAuditEntries(db, pathway, many)).toBe(2_500);
      expect(await countAuditEntries(db, pathway)).toBe(2_500);
      expect((await pageAuditEntries(db, pathway, { afterSeq: 2_497 })).map((e) => e.seq)).toEqual([2_498, 2_499]);
    });

    test('a page limit out of range is refused with the reason', async () => {
      const { db } = store();
      await expect(pageAuditEntries(db, 'p', { limit: 0 })).rejects.toThrow(/limit must be an integer from 1 to 1000/);
      await expect(pageAuditEntries(db, 'p', { limit: 5000 })).rejects.toThrow(RangeError);
    });
  });
}
