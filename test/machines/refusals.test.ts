import { describe, expect, it } from 'vitest';
import {
  DAY,
  commandTypes,
  refusalFor,
  refusalKeys,
  renderRefusal,
  viewOf,
  type Actor,
  type Command,
  type RefusalKey,
  type RefusalWhy,
  type SystemCommand,
} from '../../machines';
import { carePlaceLead, carer, liaison, member, outreachWorker, stranger, supervisorOf, system } from '../support/actors';
import { Pathway, T0 } from '../support/pathway';

const consented = () => Pathway.start().send(outreachWorker, { type: 'consent.record', given: true });
const waiting = () =>
  consented()
    .send(outreachWorker, { type: 'referral.request' })
    .send(liaison, { type: 'handoff.accept' })
    .send(liaison, { type: 'assessment.outcome', outcome: 'care-place' })
    .send(carer, { type: 'handoff.accept' });
const inStay = () => waiting().send(carer, { type: 'waitlist.join', facilityId: 'skovvang' }).send(system, { type: 'place.grant', facilityId: 'skovvang' }, T0 + DAY);
const extensionAsked = () => inStay().send(carer, { type: 'extension.request', days: 28, reason: 'flat ready in April' });

const goalAdd: Command = { type: 'goal.add', goal: 'work in the garden', area: 'occupation', reviewAt: T0 + 30 * DAY };
const withGoal = () => Pathway.start().send(outreachWorker, goalAdd);

const attach = (p: Pathway, peer: string) =>
  p.send(outreachWorker, { type: 'consent.record', given: true, scope: 'peer', recipient: peer }).send(outreachWorker, { type: 'peer.attach', peer });
const withPeer = (peer: string) => attach(Pathway.start(), peer);
const withPartnerConsent = () => Pathway.start().send(outreachWorker, { type: 'consent.record', given: true, scope: 'partner', recipient: 'region-psych' });
const partnerAsk: Command = { type: 'partner.request', partnerId: 'region-psych', request: 'an assessment', responseDays: 14 };

type Case = [what: string, pathway: () => Pathway, by: Actor, command: Command | SystemCommand, why: RefusalWhy, code: 'forbidden' | 'conflict'];

/** One refused event for each rule, with the refusal it must give. */
const cases: Case[] = [
  ['a person sending time', Pathway.start, outreachWorker, { type: 'clock.tick' }, { key: 'engine-only', params: { event: 'clock.tick' } }, 'forbidden'],
  ['another team', Pathway.start, stranger, { type: 'contact.log', outcome: 'reached' }, { key: 'not-responsible-team', params: { team: 'outreach' } }, 'forbidden'],
  [
    'the wrong receiving team',
    () => consented().send(outreachWorker, { type: 'referral.request', toTeam: 'liaison-north' }),
    liaison,
    { type: 'handoff.accept' },
    { key: 'not-receiving-team', params: { team: 'liaison-north' } },
    'forbidden',
  ],
  ['a coordinator approving', extensionAsked, carer, { type: 'extension.approve', reason: 'fine' }, { key: 'supervisor-required', params: { team: 'care-place' } }, 'forbidden'],
  [
    'the supervisor who asked deciding',
    () => inStay().send(carePlaceLead, { type: 'extension.request', days: 14, reason: 'flat ready in March' }),
    carePlaceLead,
    { type: 'extension.decline', reason: 'changed my mind' },
    { key: 'four-eyes', params: { requestedBy: carePlaceLead.id } },
    'forbidden',
  ],
  ['assigning a colleague', Pathway.start, outreachWorker, { type: 'coordinator.assign', coordinator: 'outreach-c2' }, { key: 'self-assign-only' }, 'forbidden'],
  ['a referral without consent', Pathway.start, outreachWorker, { type: 'referral.request' }, { key: 'consent-required' }, 'conflict'],
  [
    'discharge planning twice',
    () => inStay().send(carer, { type: 'dischargePlanning.start' }),
    carer,
    { type: 'dischargePlanning.start' },
    { key: 'discharge-planning-started' },
    'conflict',
  ],
  ['a second extension request', extensionAsked, carer, { type: 'extension.request', days: 7, reason: 'more' }, { key: 'extension-pending' }, 'conflict'],
  [
    'an extension past the maximum',
    () => extensionAsked().send(carePlaceLead, { type: 'extension.approve', reason: 'agreed' }),
    carer,
    { type: 'extension.request', days: 1, reason: 'more' },
    { key: 'extension-maximum-reached', params: { maxDays: 28 } },
    'conflict',
  ],
  ['too long an extension', inStay, carer, { type: 'extension.request', days: 29, reason: 'long wait' }, { key: 'extension-too-long', params: { daysLeft: 28 } }, 'conflict'],
  ['approving nothing', inStay, carePlaceLead, { type: 'extension.decline', reason: 'no' }, { key: 'no-extension-requested' }, 'conflict'],
  [
    'the same coordinator again',
    () => Pathway.start().send(outreachWorker, { type: 'coordinator.assign', coordinator: outreachWorker.id }),
    outreachWorker,
    { type: 'coordinator.assign', coordinator: outreachWorker.id },
    { key: 'already-coordinator', params: { coordinator: outreachWorker.id } },
    'conflict',
  ],
  [
    'reassigning during a handoff',
    () => consented().send(outreachWorker, { type: 'referral.request' }),
    supervisorOf('outreach'),
    { type: 'pathway.reassign', toTeam: 'outreach-west', reason: 'moved district' },
    { key: 'answer-handoff-first' },
    'conflict',
  ],
  [
    'reassigning to the same team',
    Pathway.start,
    supervisorOf('outreach'),
    { type: 'pathway.reassign', toTeam: 'outreach', reason: 'no change' },
    { key: 'already-responsible', params: { team: 'outreach' } },
    'conflict',
  ],
  ['a contact dated ahead', Pathway.start, outreachWorker, { type: 'contact.log', outcome: 'reached', contactedAt: T0 + 10 * DAY }, { key: 'contact-time-invalid', params: { days: 30 } }, 'conflict'],
  ['a contact dated too far back', Pathway.start, outreachWorker, { type: 'contact.log', outcome: 'reached', contactedAt: T0 - 31 * DAY }, { key: 'contact-time-invalid', params: { days: 30 } }, 'conflict'],
  ['a grant off the waitlist', waiting, system, { type: 'place.grant', facilityId: 'skovvang' }, { key: 'not-on-waitlist' }, 'conflict'],
  [
    'a grant from another facility',
    () => waiting().send(carer, { type: 'waitlist.join', facilityId: 'skovvang' }),
    system,
    { type: 'place.grant', facilityId: 'elsewhere' },
    { key: 'waiting-elsewhere', params: { waitingFor: 'skovvang', granted: 'elsewhere' } },
    'conflict',
  ],
  [
    'a review date in the past',
    Pathway.start,
    outreachWorker,
    { type: 'goal.add', goal: 'work in the garden', area: 'occupation', reviewAt: T0 - DAY },
    { key: 'review-date-invalid', params: { days: 366 } },
    'conflict',
  ],
  ['a goal the plan does not have', Pathway.start, outreachWorker, { type: 'goal.close', goalId: 'goal-3', outcome: 'achieved' }, { key: 'unknown-goal', params: { goalId: 'goal-3' } }, 'conflict'],
  [
    'a closed goal',
    () => withGoal().send(outreachWorker, { type: 'goal.close', goalId: 'goal-1', outcome: 'dropped' }),
    outreachWorker,
    { type: 'goal.review', goalId: 'goal-1', rating: 3, nextReviewAt: T0 + 60 * DAY },
    { key: 'goal-closed', params: { goalId: 'goal-1' } },
    'conflict',
  ],
  [
    'a goal too many',
    () => Array.from({ length: 12 }).reduce((p: Pathway) => p.send(outreachWorker, goalAdd), Pathway.start()),
    outreachWorker,
    goalAdd,
    { key: 'too-many-goals', params: { max: 12 } },
    'conflict',
  ],
  ['clearing a safety marker never set', Pathway.start, outreachWorker, { type: 'safety.clear', reason: 'calm now' }, { key: 'no-safety-marker' }, 'conflict'],
  ['admission days without admissions', Pathway.start, outreachWorker, { type: 'admissions.before', count: 0, days: 3 }, { key: 'admission-days-invalid' }, 'conflict'],
  ['an admission before the pathway', Pathway.start, outreachWorker, { type: 'admission.record', admittedAt: T0 - DAY, days: 3 }, { key: 'admission-date-invalid' }, 'conflict'],
  ['a scoped consent without its recipient', Pathway.start, outreachWorker, { type: 'consent.record', given: true, scope: 'peer' }, { key: 'consent-recipient-invalid', params: { scope: 'peer' } }, 'conflict'],
  ['consent for a relative not in the network', Pathway.start, outreachWorker, { type: 'consent.record', given: true, scope: 'relative', recipient: 'contact-4' }, { key: 'unknown-contact', params: { contactId: 'contact-4' } }, 'conflict'],
  [
    'a network too large',
    () => Array.from({ length: 30 }).reduce((p: Pathway) => p.send(outreachWorker, { type: 'network.add', name: 'Anna', relation: 'friend' }), Pathway.start()),
    outreachWorker,
    { type: 'network.add', name: 'Bent', relation: 'friend' },
    { key: 'too-many-contacts', params: { max: 30 } },
    'conflict',
  ],
  ['a peer worker without the citizen’s consent', Pathway.start, outreachWorker, { type: 'peer.attach', peer: 'peer-1' }, { key: 'consent-required-for', params: { scope: 'peer' } }, 'conflict'],
  ['a peer worker attached twice', () => withPeer('peer-1'), outreachWorker, { type: 'peer.attach', peer: 'peer-1' }, { key: 'already-attached', params: { peer: 'peer-1' } }, 'conflict'],
  [
    'a sixth peer worker',
    () => ['p1', 'p2', 'p3', 'p4', 'p5'].reduce((p, peer) => attach(p, peer), Pathway.start()).send(outreachWorker, { type: 'consent.record', given: true, scope: 'peer', recipient: 'p6' }),
    outreachWorker,
    { type: 'peer.attach', peer: 'p6' },
    { key: 'too-many-peers', params: { max: 5 } },
    'conflict',
  ],
  ['detaching a peer worker never attached', Pathway.start, outreachWorker, { type: 'peer.detach', peer: 'peer-2', reason: 'not needed' }, { key: 'not-attached', params: { peer: 'peer-2' } }, 'conflict'],
  [
    'an eleventh open partner request',
    () => Array.from({ length: 10 }).reduce((p: Pathway) => p.send(outreachWorker, partnerAsk), withPartnerConsent()),
    outreachWorker,
    partnerAsk,
    { key: 'too-many-requests', params: { max: 10 } },
    'conflict',
  ],
  ['answering a request never made', Pathway.start, outreachWorker, { type: 'partner.answer', requestId: 'request-2' }, { key: 'unknown-request', params: { requestId: 'request-2' } }, 'conflict'],
  [
    'answering a withdrawn request',
    () => withPartnerConsent().send(outreachWorker, partnerAsk).send(outreachWorker, { type: 'partner.withdraw', requestId: 'request-1', reason: 'solved' }),
    outreachWorker,
    { type: 'partner.answer', requestId: 'request-1' },
    { key: 'request-closed', params: { requestId: 'request-1' } },
    'conflict',
  ],
  [
    'an event the stage does not know',
    Pathway.start,
    outreachWorker,
    { type: 'hospital.admit' },
    { key: 'not-possible-in-stage', params: { event: 'hospital.admit', stage: 'outreach', step: 'working' } },
    'conflict',
  ],
  [
    'an event of the stage but not of its step',
    () => inStay().send(carer, { type: 'hospital.admit' }),
    carer,
    { type: 'discharge.request' },
    { key: 'not-possible-in-stage', params: { event: 'discharge.request', stage: 'stay', step: 'admitted' } },
    'conflict',
  ],
];

describe('refusals as data', () => {
  it.each(cases)('refuses %s with its key and params', (_what, pathway, by, command, why, code) => {
    const refusal = pathway().refusal(by, command);
    expect(refusal).toEqual({ code, why, reason: renderRefusal(why) });
  });

  it('refuses time running backwards with its key', () => {
    const p = Pathway.start().send(system, { type: 'clock.tick' }, T0 + DAY);
    expect(p.refusal(system, { type: 'clock.tick' }, T0)?.why).toEqual({ key: 'time-backwards' });
  });

  it('says when no handoff is pending to answer', () => {
    expect(refusalFor('handoff.accept', Pathway.start().c, liaison)?.why).toEqual({ key: 'no-handoff-pending' });
  });

  it('has a tested case for every key but the safety net', () => {
    // The workflow's own refusal of a request id someone else used is tested in test/workflows/judge.test.ts.
    const tested = new Set<RefusalKey>([...cases.map((c) => c[4].key), 'time-backwards', 'no-handoff-pending', 'request-id-taken']);
    expect(refusalKeys.filter((k) => !tested.has(k))).toEqual(['not-possible-now']);
  });

  it('keeps the English reasons logs and the CLI show', () => {
    expect(renderRefusal({ key: 'not-possible-in-stage', params: { event: 'hospital.admit', stage: 'outreach', step: 'working' } })).toBe(
      'hospital.admit is not possible while the pathway is in outreach',
    );
    expect(renderRefusal({ key: 'not-responsible-team', params: { team: 'outreach' } })).toBe('only the responsible team (outreach) may do this');
  });
});

describe('unavailable actions in the view', () => {
  const action = (p: Pathway, actor: Actor, type: string) => viewOf(p.snapshot, actor).actions.find((a) => a.type === type);

  it('explain themselves with the same key and params as the rules', () => {
    const p = Pathway.start();
    expect(action(p, stranger, 'contact.log')).toMatchObject({ available: false, code: 'forbidden', why: { key: 'not-responsible-team', params: { team: 'outreach' } } });
    expect(action(p, outreachWorker, 'referral.request')).toMatchObject({ available: false, why: { key: 'consent-required' } });
  });

  it('leave out what the stage does not handle: sent, it is refused as not possible in the stage', () => {
    const p = Pathway.start();
    expect(action(p, outreachWorker, 'hospital.admit')).toBeUndefined();
    expect(p.refusal(outreachWorker, { type: 'hospital.admit' })?.why.key).toBe('not-possible-in-stage');
    // What outreach handles, and no more: the answer to every action carries this list.
    expect(viewOf(p.snapshot, outreachWorker).actions.map((a) => a.type)).toEqual(
      commandTypes.filter((type) => p.refusal(outreachWorker, { type } as Command)?.why.key !== 'not-possible-in-stage'),
    );
  });

  it('follow the state and its parents: what a stay handles stays open while in hospital, what only the present step handles does not', () => {
    const p = inStay().send(carer, { type: 'hospital.admit' });
    expect(action(p, carer, 'note.add')).toEqual({ type: 'note.add', available: true });
    expect(action(p, carer, 'hospital.return')).toEqual({ type: 'hospital.return', available: true });
    expect(action(p, carer, 'extension.request')).toEqual({ type: 'extension.request', available: true });
    expect(action(p, carer, 'hospital.admit')).toBeUndefined();
  });

  it('are none on a closed pathway', () => {
    const p = Pathway.start().send(outreachWorker, { type: 'pathway.close', reason: 'moved' });
    expect(viewOf(p.snapshot, outreachWorker).actions).toEqual([]);
    expect(p.refusal(outreachWorker, { type: 'note.add', text: 'late' })?.why).toEqual({
      key: 'not-possible-in-stage',
      params: { event: 'note.add', stage: 'closed', step: 'closed' },
    });
  });
});

describe('describing where a pathway is', () => {
  it('names stage and step as one key in the view, beside the English status', () => {
    const p = consented().send(outreachWorker, { type: 'referral.request' });
    expect(viewOf(p.snapshot, outreachWorker)).toMatchObject({ where: 'outreach.handingOff', status: 'waiting for the assessment team to accept the referral' });
  });
});

describe('a view read later than the last event', () => {
  it('counts the stay days, passed deadlines and flags as of the reading, and changes nothing', () => {
    const p = inStay();
    const start = p.c.stay!.startedAt;
    const before = structuredClone(p.c);
    const later = viewOf(p.snapshot, carer, start + 20 * DAY);
    expect(later.stage === 'stay' && later.stay.day).toBe(21);
    expect(later.asOf).toBe(start + 20 * DAY);
    // The stored pathway has not moved: read without a time, it is still day 1.
    const stored = viewOf(p.snapshot, carer);
    expect(stored.stage === 'stay' && stored.stay.day).toBe(1);
    expect(p.c).toEqual(before);

    const near = viewOf(p.snapshot, carer, start + 43 * DAY);
    expect(near.flags).toEqual(expect.arrayContaining(['stay-limit-near', 'discharge-planning-late']));
    expect(near.deadlines.find((d) => d.kind === 'stay-limit-near')?.passed).toBe(true);
    expect(near.nextDeadline).toMatchObject({ kind: 'stay-reminder', at: start + 49 * DAY });

    // Never before the last event, and a reading time that is not a number means the last event.
    expect(viewOf(p.snapshot, carer, T0)).toEqual(stored);
    expect(viewOf(p.snapshot, carer, 'soon' as unknown as number)).toEqual(stored);
  });

  it('shows what the next tick will do: a hold that ran out in hospital puts the pathway back on the waitlist', () => {
    const p = inStay();
    const start = p.c.stay!.startedAt;
    p.send(carer, { type: 'hospital.admit' }, start + 10 * DAY);
    const v = viewOf(p.snapshot, carer, start + 25 * DAY);
    expect(v).toMatchObject({ stage: 'waiting', facilityId: null, version: p.c.version + 1 });
    expect(v.actions.find((a) => a.type === 'waitlist.join')).toEqual({ type: 'waitlist.join', available: true });
    expect(viewOf(p.snapshot, carer).stage).toBe('stay');
  });
});
