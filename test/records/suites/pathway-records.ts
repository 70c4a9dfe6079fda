import { describe, expect, test } from 'vitest';
import {
  getPathwayRecord,
  insertAuditEntries,
  countAuditEntries,
  listPathwayRecords,
  purgePathwayRecords,
  upsertPathwayRecord,
  type PathwayHistory,
  type PathwayRecord,
} from '../../../records';
import { uniqueId, type StoreRef } from './context';

const day = 86_400_000;
const t0 = Date.UTC(2026, 0, 5);

const history: PathwayHistory = {
  stages: [
    { stage: 'referral', enteredAt: t0, leftAt: t0 + day },
    { stage: 'stay', enteredAt: t0 + day, leftAt: t0 + 60 * day },
    { stage: 'closed', enteredAt: t0 + 60 * day, leftAt: null },
  ],
  stays: [
    {
      facilityId: 'care-place-north',
      startedAt: t0 + day,
      endedAt: t0 + 60 * day,
      endReason: 'discharged-to-housing',
      pauses: [{ from: t0 + 10 * day, to: t0 + 14 * day, reason: 'hospital' }],
      extensions: [{ days: 14, requestedAt: t0 + 50 * day, decidedAt: t0 + 51 * day, approved: true }],
    },
  ],
  handoffs: [{ fromTeam: 'team-a', toTeam: 'team-b', target: 'followUp', requestedAt: t0 + 2 * day, acceptedAt: t0 + 3 * day, latencyMs: day }],
  notices: [{ kind: 'no-contact', to: 'coordinators', sentAt: t0 + 20 * day }],
  readmissions: [{ at: t0 + 70 * day }],
  firstReachedAt: t0,
  consentGivenAt: t0,
  referredAt: t0 + day,
  assessmentOutcome: 'care-place',
  followUpOutcome: 'readmitted',
  goals: [{ id: 'goal-1', area: 'housing', setAt: t0 + day, closedAt: null, outcome: null, ratings: [{ at: t0 + 20 * day, rating: 6 }] }],
  yearlyReviews: [],
  admissionsBefore: { count: 2, days: 19 },
  admissions: [{ admittedAt: t0 + 80 * day, days: 3 }],
  partnerRequests: [{ id: 'request-1', partnerId: 'region-psych', requestedAt: t0 + 5 * day, dueAt: t0 + 19 * day, answeredAt: t0 + 12 * day, withdrawnAt: null }],
};

const record = (o: Partial<PathwayRecord> = {}): PathwayRecord => ({
  pathwayId: uniqueId('p'),
  citizenRef: uniqueId('ref'),
  team: 'team-a',
  openedAt: t0,
  closedAt: t0 + 60 * day,
  closureReason: 'completed',
  outcome: 'housing',
  history,
  ...o,
});

export function pathwayRecordsSuite(store: StoreRef) {
  describe('pathway records', () => {
    test('a record reads back as written, its history whole', async () => {
      const { db } = store();
      const r = record();
      await upsertPathwayRecord(db, r);
      expect(await getPathwayRecord(db, r.pathwayId)).toEqual(r);
      expect(await getPathwayRecord(db, uniqueId('unknown'))).toBeNull();
    });

    test('writing the same pathway again replaces its record (one row, the latest state)', async () => {
      const { db } = store();
      const open = record({ closedAt: null, closureReason: null, outcome: null });
      await upsertPathwayRecord(db, open);
      await upsertPathwayRecord(db, open);
      const closed = { ...open, closedAt: t0 + 9 * day, closureReason: 'declined', outcome: 'none' };
      await upsertPathwayRecord(db, closed);
      expect(await getPathwayRecord(db, open.pathwayId)).toEqual(closed);
      expect((await listPathwayRecords(db, { teams: [open.team], closureReason: 'declined' })).filter((r) => r.pathwayId === open.pathwayId)).toHaveLength(1);
    });

    test('a record as of an earlier audit entry does not replace a newer one; one without a position replaces any', async () => {
      const { db } = store();
      const open = record({ closedAt: null, closureReason: null, outcome: null });
      const closed = { ...open, closedAt: t0 + 9 * day, closureReason: 'declined', outcome: 'none' };
      await upsertPathwayRecord(db, { ...closed, asOfSeq: 12 });
      await upsertPathwayRecord(db, { ...open, asOfSeq: 7 }); // a retried older write, arriving last
      expect(await getPathwayRecord(db, open.pathwayId)).toEqual(closed);
      await upsertPathwayRecord(db, { ...closed, team: 'team-b', asOfSeq: 12 });
      expect((await getPathwayRecord(db, open.pathwayId))?.team).toBe('team-b');
      await upsertPathwayRecord(db, open);
      expect(await getPathwayRecord(db, open.pathwayId)).toEqual(open);
    });

    test('a malformed history is refused and nothing is written', async () => {
      const { db } = store();
      const bad = record({ history: { ...history, stays: [{ ...history.stays[0]!, startedAt: -5 }] } });
      await expect(upsertPathwayRecord(db, bad)).rejects.toThrow(/startedAt/);
      expect(await getPathwayRecord(db, bad.pathwayId)).toBeNull();
    });

    test('lists by team, open or closed, closure period, outcome and reason; newest closure first', async () => {
      const { db } = store();
      const team = uniqueId('team');
      const early = record({ team, closedAt: t0 + 10 * day, outcome: 'housing' });
      const late = record({ team, closedAt: t0 + 40 * day, outcome: 'readmitted', closureReason: 'moved' });
      const open = record({ team, closedAt: null, closureReason: null, outcome: null });
      const elsewhere = record({ team: uniqueId('team') });
      for (const r of [early, open, late, elsewhere]) await upsertPathwayRecord(db, r);
      const ids = async (f: Parameters<typeof listPathwayRecords>[1], page?: Parameters<typeof listPathwayRecords>[2]) =>
        (await listPathwayRecords(db, f, page)).map((r) => r.pathwayId);

      expect(await ids({ teams: [team] })).toEqual([late.pathwayId, early.pathwayId, open.pathwayId]);
      expect(await ids({ teams: [team], closed: false })).toEqual([open.pathwayId]);
      expect(await ids({ teams: [team], closed: true })).toEqual([late.pathwayId, early.pathwayId]);
      expect(await ids({ teams: [team], closedFrom: t0 + 20 * day })).toEqual([late.pathwayId]);
      expect(await ids({ teams: [team], closedBefore: t0 + 20 * day })).toEqual([early.pathwayId]);
      expect(await ids({ teams: [team], outcome: 'housing' })).toEqual([early.pathwayId]);
      expect(await ids({ teams: [team], closureReason: 'moved' })).toEqual([late.pathwayId]);
      expect(await ids({ teams: [team, elsewhere.team], closed: true })).toHaveLength(3);
      expect(await ids({ teams: [] })).toEqual([]);
      expect(await ids({ teams: [team] }, { limit: 1, offset: 1 })).toEqual([early.pathwayId]);
    });

    test('purge erases the pathways closed before the retention, with their audit trails, and says what it erased', async () => {
      const { db } = store();
      const now = Date.UTC(2031, 0, 1);
      const retentionMs = 5 * 365 * day;
      const team = uniqueId('team');
      const old = record({ team, closedAt: now - retentionMs - day });
      const older = record({ team, closedAt: now - retentionMs - 2 * day });
      const recent = record({ team, closedAt: now - retentionMs + day });
      const stillOpen = record({ team, openedAt: now - 10 * retentionMs, closedAt: null, closureReason: null, outcome: null });
      for (const r of [old, older, recent, stillOpen]) await upsertPathwayRecord(db, r);
      const entry = (seq: number) => ({ seq, at: t0, by: { id: 'c', role: 'coordinator' }, type: 'note.add' });
      await insertAuditEntries(db, old.pathwayId, [entry(0), entry(1), entry(2)]);
      await insertAuditEntries(db, recent.pathwayId, [entry(0)]);

      const erased = await purgePathwayRecords(db, { now, retentionMs });
      expect(erased.filter((e) => [old, older, recent, stillOpen].some((r) => r.pathwayId === e.pathwayId))).toEqual([
        { pathwayId: older.pathwayId, closedAt: older.closedAt, auditEntries: 0 },
        { pathwayId: old.pathwayId, closedAt: old.closedAt, auditEntries: 3 },
      ]);
      expect(await getPathwayRecord(db, old.pathwayId)).toBeNull();
      expect(await countAuditEntries(db, old.pathwayId)).toBe(0);
      expect(await getPathwayRecord(db, recent.pathwayId)).toEqual(recent);
      expect(await countAuditEntries(db, recent.pathwayId)).toBe(1);
      expect(await getPathwayRecord(db, stillOpen.pathwayId)).toEqual(stillOpen);
      // Nothing left to erase: a second purge erases nothing of these.
      expect((await purgePathwayRecords(db, { now, retentionMs })).map((e) => e.pathwayId)).not.toContain(old.pathwayId);
      await expect(purgePathwayRecords(db, { now, retentionMs: 0 })).rejects.toThrow(/retention must be positive/);
    });
  });
}
