import { describe, expect, it } from 'vitest';
import {
  AUDIT_TAIL,
  auditCountOf,
  caseRecordOf,
  check,
  DAY,
  HOUR,
  nextCaseHistory,
  planChanged,
  startCaseHistory,
  step,
  type Actor,
  type CaseHistory,
  type Command,
  type PathwaySnapshot,
  type SystemCommand,
} from '../../machines';
import { PathwayHistorySchema } from '../../records/pathway-records';
import { carePlaceLead, carer, housingOfficer, liaison, outreachWorker, system } from '../support/actors';
import { Pathway, T0 } from '../support/pathway';

/** Drives the machine as the workflow does, folding each (before, event, after) into the history. */
class Recorded {
  history: CaseHistory;
  constructor(public snapshot: PathwaySnapshot) {
    this.history = startCaseHistory(snapshot);
  }
  send(by: Actor, command: Command | SystemCommand, at: number): this {
    const event = { ...command, by, at };
    const refusal = check(this.snapshot, event);
    if (refusal) throw new Error(`refused ${command.type}: ${refusal.reason}`);
    const next = step(this.snapshot, event);
    this.history = nextCaseHistory(this.history, this.snapshot, event, next.snapshot, next.effects);
    this.snapshot = next.snapshot;
    return this;
  }
}

describe("the pathway's record, built step by step", () => {
  it('holds stages with entered and left times, the stay with its pause and extension, handoffs with latency, notices and milestones', () => {
    const p = new Recorded(Pathway.start().snapshot)
      .send(outreachWorker, { type: 'contact.log', outcome: 'not-reached' }, T0 + HOUR)
      .send(outreachWorker, { type: 'contact.log', outcome: 'reached' }, T0 + 2 * HOUR)
      .send(outreachWorker, { type: 'consent.record', given: true }, T0 + 3 * HOUR)
      .send(outreachWorker, { type: 'referral.request' }, T0 + 4 * HOUR)
      .send(liaison, { type: 'handoff.accept' }, T0 + 10 * HOUR)
      .send(liaison, { type: 'assessment.outcome', outcome: 'care-place' }, T0 + DAY)
      .send(carer, { type: 'handoff.accept' }, T0 + DAY + 2 * HOUR)
      .send(carer, { type: 'waitlist.join', facilityId: 'skovvang' }, T0 + 2 * DAY)
      .send(system, { type: 'place.grant', facilityId: 'skovvang' }, T0 + 5 * DAY)
      .send(carer, { type: 'hospital.admit' }, T0 + 10 * DAY)
      .send(carer, { type: 'hospital.return' }, T0 + 13 * DAY)
      .send(carer, { type: 'extension.request', days: 14, reason: 'flat ready in March' }, T0 + 40 * DAY)
      .send(carePlaceLead, { type: 'extension.approve', reason: 'agreed' }, T0 + 41 * DAY)
      .send(carer, { type: 'dischargePlanning.start' }, T0 + 42 * DAY)
      .send(carer, { type: 'discharge.request' }, T0 + 50 * DAY)
      .send(housingOfficer, { type: 'handoff.accept' }, T0 + 51 * DAY)
      .send(housingOfficer, { type: 'readmission.record' }, T0 + 60 * DAY)
      .send(housingOfficer, { type: 'followUp.complete', outcome: 'stable' }, T0 + 90 * DAY);

    const h = PathwayHistorySchema.parse(p.history);
    expect(h.stages).toEqual([
      { stage: 'outreach', enteredAt: T0, leftAt: T0 + 10 * HOUR },
      { stage: 'assessment', enteredAt: T0 + 10 * HOUR, leftAt: T0 + DAY + 2 * HOUR },
      { stage: 'waiting', enteredAt: T0 + DAY + 2 * HOUR, leftAt: T0 + 5 * DAY },
      { stage: 'stay', enteredAt: T0 + 5 * DAY, leftAt: T0 + 51 * DAY },
      { stage: 'followUp', enteredAt: T0 + 51 * DAY, leftAt: T0 + 90 * DAY },
      { stage: 'closed', enteredAt: T0 + 90 * DAY, leftAt: null },
    ]);
    expect(h.stays).toEqual([
      {
        facilityId: 'skovvang',
        startedAt: T0 + 5 * DAY,
        endedAt: T0 + 51 * DAY,
        endReason: 'discharged',
        pauses: [{ from: T0 + 10 * DAY, to: T0 + 13 * DAY, reason: 'hospital' }],
        extensions: [{ days: 14, requestedAt: T0 + 40 * DAY, decidedAt: T0 + 41 * DAY, approved: true }],
      },
    ]);
    expect(h.handoffs.map((x) => [x.target, x.latencyMs])).toEqual([
      ['assessment', 6 * HOUR],
      ['waiting', 2 * HOUR],
      ['followUp', DAY],
    ]);
    expect(h.notices.map((n) => n.kind)).toEqual(['handoff-requested', 'handoff-requested', 'handoff-requested']);
    expect(h.readmissions).toEqual([{ at: T0 + 60 * DAY }]);
    expect({ firstReachedAt: h.firstReachedAt, consentGivenAt: h.consentGivenAt, referredAt: h.referredAt }).toEqual({
      firstReachedAt: T0 + 2 * HOUR,
      consentGivenAt: T0 + 3 * HOUR,
      referredAt: T0 + 4 * HOUR,
    });
    expect([h.assessmentOutcome, h.followUpOutcome]).toEqual(['care-place', 'stable']);
    expect(caseRecordOf(p.snapshot, p.history)).toMatchObject({ closedAt: T0 + 90 * DAY, closureReason: 'housed-stable', outcome: 'stable', team: 'housing-support' });
  });

  it('ends a stay whose hospital hold ran out at the hold, and a declined extension as declined', () => {
    const p = new Recorded(Pathway.start().snapshot)
      .send(outreachWorker, { type: 'consent.record', given: true }, T0 + HOUR)
      .send(outreachWorker, { type: 'referral.request' }, T0 + 2 * HOUR)
      .send(liaison, { type: 'handoff.accept' }, T0 + 3 * HOUR)
      .send(liaison, { type: 'assessment.outcome', outcome: 'care-place' }, T0 + 4 * HOUR)
      .send(carer, { type: 'handoff.accept' }, T0 + 5 * HOUR)
      .send(carer, { type: 'waitlist.join', facilityId: 'skovvang' }, T0 + 6 * HOUR)
      .send(system, { type: 'place.grant', facilityId: 'skovvang' }, T0 + DAY)
      .send(carer, { type: 'extension.request', days: 7, reason: 'x' }, T0 + 2 * DAY)
      .send(carePlaceLead, { type: 'extension.decline', reason: 'no' }, T0 + 3 * DAY)
      .send(carer, { type: 'hospital.admit' }, T0 + 4 * DAY)
      .send(system, { type: 'clock.tick' }, T0 + 30 * DAY);
    const holdEnd = T0 + 4 * DAY + p.snapshot.context.policy.stay.hospitalHoldDays * DAY;
    const [stay] = p.history.stays;
    expect(stay).toMatchObject({ endedAt: holdEnd, endReason: 'hospital-hold-expired', pauses: [{ from: T0 + 4 * DAY, to: holdEnd, reason: 'hospital' }] });
    expect(stay!.extensions).toEqual([{ days: 7, requestedAt: T0 + 2 * DAY, decidedAt: T0 + 3 * DAY, approved: false }]);
    expect(p.history.stages.at(-1)).toEqual({ stage: 'waiting', enteredAt: holdEnd, leftAt: null });
  });

  it('holds the plan without its words (areas, ratings, outcomes), the yearly reviews and the admissions, and asks for a write', () => {
    const r = new Recorded(Pathway.start().snapshot);
    const before = r.history;
    r.send(outreachWorker, { type: 'admissions.before', count: 4, days: 52 }, T0 + HOUR);
    expect(planChanged(before, r.history)).toBe(true);
    r.send(outreachWorker, { type: 'goal.add', goal: 'see my daughter every week', area: 'network', reviewAt: T0 + 30 * DAY }, T0 + 2 * HOUR)
      .send(outreachWorker, { type: 'goal.review', goalId: 'goal-1', rating: 4, nextReviewAt: T0 + 60 * DAY }, T0 + 30 * DAY)
      .send(outreachWorker, { type: 'goal.close', goalId: 'goal-1', outcome: 'achieved' }, T0 + 50 * DAY)
      .send(outreachWorker, { type: 'admission.record', admittedAt: T0 + 40 * DAY, days: 5 }, T0 + 51 * DAY)
      .send(outreachWorker, { type: 'review.yearly' }, T0 + 52 * DAY);
    expect(r.history).toMatchObject({
      goals: [{ id: 'goal-1', area: 'network', setAt: T0 + 2 * HOUR, closedAt: T0 + 50 * DAY, outcome: 'achieved', ratings: [{ at: T0 + 30 * DAY, rating: 4 }] }],
      yearlyReviews: [{ at: T0 + 52 * DAY }],
      admissionsBefore: { count: 4, days: 52 },
      admissions: [{ admittedAt: T0 + 40 * DAY, days: 5 }],
    });
    expect(JSON.stringify(r.history)).not.toContain('daughter');
    expect(PathwayHistorySchema.parse(r.history)).toEqual(r.history);
    const noted = r.history;
    r.send(outreachWorker, { type: 'note.add', text: 'called' }, T0 + 53 * DAY);
    expect(planChanged(noted, r.history)).toBe(false);
  });
});

describe('the audit trail in the machine', () => {
  it('keeps only the newest entries and the count, however many notes a pathway takes', () => {
    const p = Pathway.start();
    for (let i = 1; i <= 100; i++) p.send(outreachWorker, { type: 'note.add', text: `note ${i}` });
    expect(auditCountOf(p.c)).toBe(101);
    expect(p.c.audit).toHaveLength(AUDIT_TAIL);
    expect(p.c.audit.at(-1)).toMatchObject({ seq: 101, details: { text: 'note 100' } });
    expect(p.c.audit[0]!.seq).toBe(101 - AUDIT_TAIL + 1);
  });
});
