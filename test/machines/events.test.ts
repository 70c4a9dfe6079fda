import { describe, expect, it } from 'vitest';
import { ActorSchema, CommandSchema, commandSchemas, commandTypes, OpaqueIdSchema, PolicySchema } from '../../machines';

/** A valid payload of every command, so each malformed variant differs in exactly one way. */
const valid: { [T in keyof typeof commandSchemas]: Record<string, unknown> } = {
  'contact.log': { outcome: 'reached', note: 'found at the station' },
  'consent.record': { given: true },
  'referral.request': { toTeam: 'psychiatry-liaison' },
  'handoff.accept': {},
  'handoff.reject': { reason: 'no capacity' },
  'handoff.cancel': { reason: 'sent by mistake' },
  'assessment.outcome': { outcome: 'care-place' },
  'waitlist.join': { facilityId: 'skovvang' },
  'hospital.admit': {},
  'hospital.return': {},
  'dischargePlanning.start': {},
  'extension.request': { days: 14, reason: 'housing not ready' },
  'extension.approve': { reason: 'agreed' },
  'extension.decline': { reason: 'housing ready' },
  'discharge.request': {},
  'readmission.record': {},
  'followUp.complete': { outcome: 'stable' },
  'coordinator.assign': { coordinator: 'cp-7' },
  'pathway.reassign': { toTeam: 'care-place-north', reason: 'moved district' },
  'note.add': { text: 'called the GP' },
  'pathway.close': { reason: 'moved' },
  'goal.add': { goal: 'my own flat by summer', area: 'housing', reviewAt: 1_800_000_000_000 },
  'goal.review': { goalId: 'goal-1', rating: 6, nextReviewAt: 1_800_000_000_000 },
  'goal.close': { goalId: 'goal-1', outcome: 'achieved' },
  'review.yearly': {},
  'safety.set': { concern: 'violence-risk', precautions: 'visit two together', reviewAt: 1_800_000_000_000 },
  'safety.clear': { reason: 'no incidents for six months' },
  'admissions.before': { count: 3, days: 41 },
  'admission.record': { admittedAt: 1_790_000_000_000, days: 9 },
  'network.add': { name: 'Anna Andersen', relation: 'relative', phone: '+45 12 34 56 78' },
  'network.remove': { contactId: 'contact-1', reason: 'the citizen asked' },
  'peer.attach': { peer: 'peer-7' },
  'peer.detach': { peer: 'peer-7', reason: 'the citizen asked' },
  'partner.request': { partnerId: 'region-psych', request: 'a psychiatric assessment', responseDays: 14 },
  'partner.answer': { requestId: 'request-1' },
  'partner.withdraw': { requestId: 'request-1', reason: 'no longer needed' },
};

describe('event schemas', () => {
  it.each(commandTypes)('accept a well-formed %s', (type) => {
    expect(CommandSchema.safeParse({ type, ...valid[type] }).success).toBe(true);
  });

  it.each(commandTypes)('reject a malformed %s in every field, and unknown fields', (type) => {
    const payload = valid[type];
    const variants: Record<string, unknown>[] = [{ ...payload, type, smuggled: 'CPR 010190-1234' }];
    for (const key of Object.keys(payload)) {
      variants.push({ type, ...payload, [key]: { nested: true } });
      variants.push({ type, ...payload, [key]: 12345678901 });
    }
    for (const variant of variants) {
      const result = CommandSchema.safeParse(variant);
      expect(result.success, JSON.stringify(variant)).toBe(false);
    }
  });

  const withRequiredFields = [
    'contact.log', 'consent.record', 'handoff.reject', 'handoff.cancel', 'assessment.outcome', 'waitlist.join',
    'extension.request', 'extension.approve', 'extension.decline', 'followUp.complete', 'coordinator.assign',
    'pathway.reassign', 'note.add', 'pathway.close', 'goal.add', 'goal.review', 'goal.close', 'safety.set', 'safety.clear',
    'admissions.before', 'admission.record', 'network.add', 'network.remove', 'peer.attach', 'peer.detach', 'partner.request',
    'partner.answer', 'partner.withdraw',
  ];
  it.each(withRequiredFields)('reject a %s with its required fields missing', (type) => {
    expect(CommandSchema.safeParse({ type }).success).toBe(false);
  });

  it('rejects an unknown event type and a missing type', () => {
    expect(CommandSchema.safeParse({ type: 'stay.shorten' }).success).toBe(false);
    expect(CommandSchema.safeParse({ outcome: 'reached' }).success).toBe(false);
  });

  it('rejects reasons too short to mean anything', () => {
    expect(CommandSchema.safeParse({ type: 'handoff.reject', reason: ' x ' }).success).toBe(false);
  });

  it('refuses personal ID numbers where an opaque id belongs', () => {
    expect(OpaqueIdSchema.safeParse('010190-1234').success).toBe(false);
    expect(OpaqueIdSchema.safeParse('0101901234').success).toBe(false);
    expect(OpaqueIdSchema.safeParse('01019012345').success).toBe(false);
    expect(OpaqueIdSchema.safeParse('ref-010190').success).toBe(true);
    expect(OpaqueIdSchema.safeParse('3f2c9a1e-6b1d-4c55-9a0e-8d6f0e2b7c41').success).toBe(true);
  });

  it('keeps ids opaque: no spaces, no personal ID shapes with slashes or names', () => {
    expect(ActorSchema.safeParse({ id: 'Jens Hansen', role: 'coordinator', teams: [] }).success).toBe(false);
    expect(ActorSchema.safeParse({ id: 'cp-7', role: 'janitor', teams: [] }).success).toBe(false);
    expect(ActorSchema.safeParse({ id: 'cp-7', role: 'coordinator', teams: ['care place'] }).success).toBe(false);
  });
});

describe('policy', () => {
  it('defaults to the municipal rules', () => {
    const p = PolicySchema.parse({});
    expect(p.stay).toMatchObject({ limitDays: 56, reminderDaysBefore: [14, 7, 2], dischargePlanningByDay: 42 });
    expect(p.handoff).toEqual({ reminderHours: 24, escalationHours: 48 });
    expect(p.outreach.noContactDays).toBe(14);
  });

  it('rejects inconsistent rules with the field at fault', () => {
    const r = PolicySchema.safeParse({ stay: { limitDays: 30, dischargePlanningByDay: 42 } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['stay', 'dischargePlanningByDay']);
    expect(PolicySchema.safeParse({ handoff: { reminderHours: 48, escalationHours: 24 } }).success).toBe(false);
    expect(PolicySchema.safeParse({ stay: { limitDays: -1 } }).success).toBe(false);
  });
});
