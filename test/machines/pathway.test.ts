import { describe, expect, it } from 'vitest';
import { DAY, defaultPolicy, HOUR, viewOf, type Actor } from '../../machines';
import { carePlaceLead, carer, housingOfficer, liaison, member, outreachWorker, stranger, system } from '../support/actors';
import { Pathway, T0 } from '../support/pathway';

const inStay = () => Pathway.inStay();

const view = (p: Pathway, actor: Actor = carer) => viewOf(p.snapshot, actor);
const tick = (p: Pathway, at: number) => p.send(system, { type: 'clock.tick' }, at);

describe('a pathway from outreach to housing', () => {
  it('runs through every stage with the right team responsible', () => {
    const p = Pathway.start();
    expect(view(p).stage).toBe('outreach');
    expect(view(p).responsibleTeam).toBe('outreach');

    p.send(outreachWorker, { type: 'contact.log', outcome: 'reached' })
      .send(outreachWorker, { type: 'consent.record', given: true })
      .send(outreachWorker, { type: 'referral.request' });
    // The sending team stays responsible until the receiver accepts.
    expect(view(p)).toMatchObject({ stage: 'outreach', step: 'handingOff', responsibleTeam: 'outreach' });
    expect(view(p).flags).toContain('handoff-pending');

    p.send(liaison, { type: 'handoff.accept' });
    expect(view(p)).toMatchObject({ stage: 'assessment', responsibleTeam: 'psychiatry-liaison', coordinator: liaison.id });

    p.send(liaison, { type: 'assessment.outcome', outcome: 'care-place' }).send(carer, { type: 'handoff.accept' });
    expect(view(p)).toMatchObject({ stage: 'waiting', responsibleTeam: 'care-place' });

    p.send(carer, { type: 'waitlist.join', facilityId: 'skovvang' }).send(system, { type: 'place.grant', facilityId: 'skovvang' });
    expect(view(p).stage).toBe('stay');

    p.send(carer, { type: 'dischargePlanning.start' })
      .send(carer, { type: 'discharge.request' })
      .send(housingOfficer, { type: 'handoff.accept' });
    expect(view(p)).toMatchObject({ stage: 'followUp', responsibleTeam: 'housing-support' });

    p.send(housingOfficer, { type: 'followUp.complete', outcome: 'stable' });
    const closed = view(p);
    expect(closed.stage === 'closed' && closed.closure.reason).toBe('housed-stable');
    expect(p.effects.map((e) => e.type)).toEqual(['notify', 'notify', 'place.request', 'notify', 'place.release']);
    expect(p.c.audit.map((a) => a.type)).toEqual([
      'pathway.start', 'contact.log', 'consent.record', 'referral.request', 'handoff.accept', 'assessment.outcome',
      'handoff.accept', 'waitlist.join', 'place.grant', 'dischargePlanning.start', 'discharge.request', 'handoff.accept',
      'followUp.complete',
    ]);
  });
});

describe('who may do what', () => {
  it('refuses another team with a reason, and says so in the view', () => {
    const p = Pathway.start();
    expect(p.refusal(stranger, { type: 'contact.log', outcome: 'reached' })).toEqual({
      code: 'forbidden',
      why: { key: 'not-responsible-team', params: { team: 'outreach' } },
      reason: 'only the responsible team (outreach) may do this',
    });
    const action = view(p, stranger).actions.find((a) => a.type === 'contact.log');
    expect(action).toMatchObject({ available: false, code: 'forbidden' });
  });

  it('needs consent before a referral', () => {
    const p = Pathway.start();
    expect(p.refusal(outreachWorker, { type: 'referral.request' })?.reason).toMatch(/not consented/);
    p.send(outreachWorker, { type: 'consent.record', given: true }).send(outreachWorker, { type: 'consent.record', given: false });
    expect(p.refusal(outreachWorker, { type: 'referral.request' })?.code).toBe('conflict');
  });

  it('lets only the receiving team answer a handoff, and a rejection returns the case', () => {
    const p = Pathway.start()
      .send(outreachWorker, { type: 'consent.record', given: true })
      .send(outreachWorker, { type: 'referral.request', toTeam: 'liaison-north' });
    expect(p.refusal(liaison, { type: 'handoff.accept' })?.reason).toMatch(/receiving team \(liaison-north\)/);
    expect(p.refusal(outreachWorker, { type: 'handoff.accept' })?.code).toBe('forbidden');
    p.send(member('liaison-north'), { type: 'handoff.reject', reason: 'not our district' });
    expect(view(p)).toMatchObject({ stage: 'outreach', step: 'working', responsibleTeam: 'outreach', handoff: null });
  });

  it('keeps supervisor decisions for supervisors of the responsible team', () => {
    const p = inStay().send(carer, { type: 'extension.request', days: 14, reason: 'flat ready in March' });
    expect(p.refusal(carer, { type: 'extension.approve', reason: 'fine' })?.code).toBe('forbidden');
    expect(p.refusal({ ...carePlaceLead, teams: ['outreach'] }, { type: 'extension.approve', reason: 'fine' })?.code).toBe('forbidden');
    expect(view(p, carePlaceLead).actions.find((a) => a.type === 'extension.approve')).toEqual({ type: 'extension.approve', available: true });
  });

  it('has an extension decided by a supervisor other than the one who asked, unless the pathway predates the rule', () => {
    const asked = (policy = defaultPolicy) =>
      Pathway.inStay({ policy }).send(carePlaceLead, { type: 'extension.request', days: 14, reason: 'flat ready in March' });
    const p = asked();
    expect(p.refusal(carePlaceLead, { type: 'extension.approve', reason: 'fine' })?.why).toEqual({ key: 'four-eyes', params: { requestedBy: carePlaceLead.id } });
    expect(view(p, carePlaceLead).actions.find((a) => a.type === 'extension.approve')).toMatchObject({ available: false, why: { key: 'four-eyes' } });
    const colleague = { ...carePlaceLead, id: 'care-place-lead2' };
    expect(p.refusal(colleague, { type: 'extension.approve', reason: 'fine' })).toBeUndefined();
    const { fourEyes: _, ...older } = defaultPolicy;
    expect(asked(older).refusal(carePlaceLead, { type: 'extension.approve', reason: 'fine' })).toBeUndefined();
  });

  it('lets a coordinator take a case but not hand it to a colleague', () => {
    const p = Pathway.start();
    expect(p.refusal(outreachWorker, { type: 'coordinator.assign', coordinator: 'outreach-c2' })?.code).toBe('forbidden');
    p.send(outreachWorker, { type: 'coordinator.assign', coordinator: outreachWorker.id });
    expect(view(p).coordinator).toBe(outreachWorker.id);
  });

  it('explains an impossible event by the state the pathway is in', () => {
    const p = Pathway.start();
    expect(p.refusal(carer, { type: 'hospital.admit' })).toEqual({
      code: 'conflict',
      why: { key: 'not-possible-in-stage', params: { event: 'hospital.admit', stage: 'outreach', step: 'working' } },
      reason: 'hospital.admit is not possible while the pathway is in outreach',
    });
  });

  it('bumps the version on every accepted command but not when time passes', () => {
    const p = Pathway.start();
    expect(p.c.version).toBe(1);
    p.send(outreachWorker, { type: 'note.add', text: 'tried the shelter' });
    expect(p.c.version).toBe(2);
    tick(p, T0 + 20 * DAY);
    expect(p.c.version).toBe(2);
  });
});

describe('time rules', () => {
  it('flags no contact after 14 days, once, and clears the flag when contact is logged', () => {
    const p = Pathway.start();
    tick(p, T0 + 14 * DAY - 1);
    expect(view(p).flags).not.toContain('no-contact');
    tick(p, T0 + 14 * DAY);
    expect(view(p).flags).toContain('no-contact');
    tick(p, T0 + 20 * DAY);
    expect(p.effects.filter((e) => e.type === 'notify' && e.kind === 'no-contact')).toHaveLength(1);
    // An attempt that did not reach the citizen is logged but does not count as contact.
    p.send(outreachWorker, { type: 'contact.log', outcome: 'not-reached' });
    expect(view(p).flags).toContain('no-contact');
    p.send(outreachWorker, { type: 'contact.log', outcome: 'reached' });
    expect(view(p).flags).not.toContain('no-contact');
    expect(view(p).nextDeadline).toMatchObject({ kind: 'no-contact', at: p.c.now + 14 * DAY });
  });

  it('runs the no-contact deadline from a contact dated back, and never lets an older one hide a later', () => {
    const p = Pathway.start();
    tick(p, T0 + 20 * DAY);
    // Written up the morning after a night round.
    p.send(outreachWorker, { type: 'contact.log', outcome: 'reached', contactedAt: T0 + 19 * DAY });
    expect(p.c.lastContactAt).toBe(T0 + 19 * DAY);
    expect(view(p).nextDeadline).toMatchObject({ kind: 'no-contact', at: T0 + 33 * DAY });
    p.send(outreachWorker, { type: 'contact.log', outcome: 'reached', contactedAt: T0 + 2 * DAY });
    expect(p.c.lastContactAt).toBe(T0 + 19 * DAY);
    expect(p.c.audit.at(-1)?.details).toMatchObject({ contactedAt: T0 + 2 * DAY });
  });

  it('escalates an unaccepted handoff at 48 hours to both teams’ supervisors', () => {
    const p = Pathway.start().send(outreachWorker, { type: 'consent.record', given: true }).send(outreachWorker, { type: 'referral.request' });
    const asked = p.c.now;
    tick(p, asked + 48 * HOUR);
    expect(view(p).flags).toEqual(expect.arrayContaining(['handoff-pending', 'handoff-overdue']));
    const notices = p.effects.flatMap((e) => (e.type === 'notify' ? [e] : []));
    expect(notices.map((n) => [n.kind, n.dueAt - asked])).toEqual([
      ['handoff-requested', 0],
      ['handoff-reminder', 24 * HOUR],
      ['handoff-overdue', 48 * HOUR],
    ]);
    expect(notices[2]?.notice).toEqual({ audience: 'supervisors', teams: ['outreach', 'psychiatry-liaison'] });
  });

  it('ends a stay after 56 days, with reminders 14, 7 and 2 days before and escalation at the limit', () => {
    const p = inStay();
    const start = p.c.stay!.startedAt;
    tick(p, start + 70 * DAY);
    const notices = p.effects.flatMap((e) => (e.type === 'notify' && e.kind.startsWith('stay') ? [e] : []));
    expect(notices.map((n) => [n.kind, (n.dueAt - start) / DAY])).toEqual([
      ['stay-reminder', 42],
      ['stay-reminder', 49],
      ['stay-reminder', 52], // day 54 is Sunday 1 March 2026: sent on the Friday before
      ['stay-limit', 56],
    ]);
    expect(view(p).flags).toEqual(expect.arrayContaining(['stay-limit-exceeded', 'discharge-planning-late']));
    expect(view(p).flags).not.toContain('stay-limit-near');
  });

  it('stops the stay clock in hospital and restarts it on return', () => {
    const p = inStay();
    const start = p.c.stay!.startedAt;
    p.send(carer, { type: 'hospital.admit' }, start + 10 * DAY);
    const admitted = view(p);
    expect(admitted.flags).toContain('hospital-admitted');
    // The yearly review is the citizen's, not the stay's: it runs on.
    expect(admitted.deadlines.map((d) => d.kind)).toEqual(['hospital-hold', 'yearly-review']);
    p.send(carer, { type: 'hospital.return' }, start + 15 * DAY);
    const back = view(p);
    expect(back.stage === 'stay' && back.stay.endsAt).toBe(start + 61 * DAY);
    expect(back.stage === 'stay' && back.stay.day).toBe(11);
  });

  it('releases the place when a hospital admission outlasts the hold, and waits for a new one', () => {
    const p = inStay();
    const start = p.c.stay!.startedAt;
    p.send(carer, { type: 'hospital.admit' }, start + 10 * DAY);
    tick(p, start + 10 * DAY + 14 * DAY - 1);
    expect(view(p).stage).toBe('stay');
    tick(p, start + 30 * DAY);
    expect(view(p)).toMatchObject({ stage: 'waiting', facilityId: null, stageEnteredAt: start + 24 * DAY });
    expect(p.effects.filter((e) => e.type !== 'notify')).toEqual([
      { type: 'place.request', facilityId: 'skovvang' },
      {
        type: 'place.update',
        facilityId: 'skovvang',
        endsAt: start + 56 * DAY,
        paused: { since: start + 10 * DAY, holdUntil: start + 24 * DAY },
        patch: 'stay-pause-reported',
      },
      { type: 'place.release', facilityId: 'skovvang' },
    ]);
    expect(p.effects.some((e) => e.type === 'notify' && e.kind === 'hospital-hold')).toBe(true);
    expect(p.c.audit.slice(-2).map((a) => a.type)).toEqual(['deadline.passed', 'place.released']);
  });

  it('tells the facility when the stay end moves', () => {
    const p = inStay();
    const start = p.c.stay!.startedAt;
    p.send(carer, { type: 'hospital.admit' }, start + DAY).send(carer, { type: 'hospital.return' }, start + 3 * DAY);
    expect(p.effects.at(-1)).toEqual({ type: 'place.update', facilityId: 'skovvang', endsAt: start + 58 * DAY });
  });

  it('lets a supervisor extend a stay within the policy maximum only', () => {
    const p = inStay();
    const start = p.c.stay!.startedAt;
    expect(p.refusal(carer, { type: 'extension.request', days: 29, reason: 'long wait' })?.reason).toMatch(/at most 28/);
    p.send(carer, { type: 'extension.request', days: 21, reason: 'flat ready in March' });
    expect(view(p).flags).toContain('extension-requested');
    p.send(carePlaceLead, { type: 'extension.approve', reason: 'agreed in team meeting' });
    const v = view(p);
    expect(v.stage === 'stay' && v.stay.endsAt).toBe(start + 77 * DAY);
    expect(p.refusal(carer, { type: 'extension.request', days: 14, reason: 'more' })?.reason).toMatch(/at most 7/);
  });

  it('announces a moved deadline anew but never the same one twice', () => {
    const p = inStay();
    const start = p.c.stay!.startedAt;
    tick(p, start + 43 * DAY); // the 14-days-before reminder went out at day 42
    p.send(carer, { type: 'extension.request', days: 14, reason: 'flat ready later' }).send(carePlaceLead, {
      type: 'extension.approve',
      reason: 'agreed',
    });
    tick(p, start + 43 * DAY + 2 * HOUR);
    tick(p, start + 100 * DAY);
    const keys = p.effects.flatMap((e) => (e.type === 'notify' && e.kind === 'stay-reminder' ? [e.key] : []));
    expect(new Set(keys).size).toBe(keys.length);
    expect(p.effects.filter((e) => e.type === 'notify' && e.kind === 'stay-reminder').map((e) => e.type === 'notify' && (e.dueAt - start) / DAY)).toEqual([
      42, 56, 63, 66, // day 68 is a Sunday: moved to the Friday
    ]);
  });

  it('takes a place only from the facility it waits for', () => {
    const p = Pathway.start()
      .send(outreachWorker, { type: 'consent.record', given: true })
      .send(outreachWorker, { type: 'referral.request' })
      .send(liaison, { type: 'handoff.accept' })
      .send(liaison, { type: 'assessment.outcome', outcome: 'care-place' })
      .send(carer, { type: 'handoff.accept' });
    expect(p.refusal(system, { type: 'place.grant', facilityId: 'skovvang' })?.reason).toBe('the pathway is on no waitlist');
    p.send(carer, { type: 'waitlist.join', facilityId: 'skovvang' });
    expect(p.refusal(system, { type: 'place.grant', facilityId: 'elsewhere' })?.code).toBe('conflict');
  });

  it('refuses time running backwards', () => {
    const p = Pathway.start();
    tick(p, T0 + DAY);
    expect(p.refusal(system, { type: 'clock.tick' }, T0)?.reason).toBe('time does not run backwards');
  });
});
