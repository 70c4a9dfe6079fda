import { check, DAY, defaultPolicy, HOUR, startPathway, step, type PathwayEvent, type PathwaySnapshot } from '../../machines';
import { member, supervisorOf, system } from './actors';
import { T0 } from './pathway';

/** One representative of every event, sent by someone who plausibly may send it. */
export function eventsFor(s: PathwaySnapshot): PathwayEvent[] {
  const c = s.context;
  const at = c.now + HOUR;
  const team = member(c.responsibleTeam);
  const lead = supervisorOf(c.responsibleTeam);
  const receiver = member(c.handoff?.toTeam ?? c.responsibleTeam);
  const as = (by: typeof team) => ({ by, at });
  return [
    { type: 'contact.log', outcome: 'reached', ...as(team) },
    { type: 'consent.record', given: true, ...as(team) },
    { type: 'consent.record', given: false, ...as(team) },
    { type: 'referral.request', ...as(team) },
    { type: 'handoff.accept', ...as(receiver) },
    { type: 'handoff.reject', reason: 'no capacity this week', ...as(receiver) },
    { type: 'handoff.cancel', reason: 'sent by mistake', ...as(team) },
    { type: 'assessment.outcome', outcome: 'care-place', ...as(team) },
    { type: 'assessment.outcome', outcome: 'other-offer', ...as(team) },
    { type: 'assessment.outcome', outcome: 'no-need', ...as(team) },
    { type: 'waitlist.join', facilityId: 'skovvang', ...as(team) },
    { type: 'place.grant', facilityId: 'skovvang', ...as(system) },
    { type: 'hospital.admit', ...as(team) },
    { type: 'hospital.return', ...as(team) },
    { type: 'dischargePlanning.start', ...as(team) },
    { type: 'extension.request', days: 14, reason: 'housing not ready', ...as(team) },
    { type: 'extension.approve', reason: 'agreed at the team meeting', ...as(lead) },
    { type: 'extension.decline', reason: 'housing is ready', ...as(lead) },
    { type: 'discharge.request', ...as(team) },
    { type: 'readmission.record', ...as(team) },
    { type: 'followUp.complete', outcome: 'stable', ...as(team) },
    { type: 'followUp.complete', outcome: 'readmitted', ...as(team) },
    { type: 'coordinator.assign', coordinator: team.id, ...as(team) },
    { type: 'pathway.reassign', toTeam: c.responsibleTeam === 'backup' ? 'outreach' : 'backup', reason: 'team on leave', ...as(lead) },
    { type: 'note.add', text: 'met at the shelter', ...as(team) },
    { type: 'pathway.close', reason: 'moved', ...as(team) },
    { type: 'goal.add', goal: 'my own flat', area: 'housing', reviewAt: at + 10 * DAY, ...as(team) },
    { type: 'goal.review', goalId: 'goal-1', rating: 6, nextReviewAt: at + 30 * DAY, ...as(team) },
    { type: 'goal.close', goalId: 'goal-1', outcome: 'achieved', ...as(team) },
    { type: 'review.yearly', ...as(team) },
    { type: 'safety.set', concern: 'threats', precautions: 'visit two together', reviewAt: at + 90 * DAY, ...as(team) },
    { type: 'safety.clear', reason: 'calm for months', ...as(team) },
    { type: 'admissions.before', count: 2, days: 20, ...as(team) },
    { type: 'admission.record', admittedAt: c.now, days: 3, ...as(team) },
    { type: 'network.add', name: 'Anna', relation: 'relative', ...as(team) },
    { type: 'network.remove', contactId: 'contact-1', reason: 'the citizen asked', ...as(team) },
    { type: 'consent.record', given: true, scope: 'relative', recipient: 'contact-1', ...as(team) },
    { type: 'consent.record', given: true, scope: 'peer', recipient: 'peer-1', ...as(team) },
    { type: 'consent.record', given: true, scope: 'partner', recipient: 'region-psych', ...as(team) },
    { type: 'peer.attach', peer: 'peer-1', ...as(team) },
    { type: 'peer.detach', peer: 'peer-1', reason: 'the citizen asked', ...as(team) },
    { type: 'partner.request', partnerId: 'region-psych', request: 'an assessment', responseDays: 14, ...as(team) },
    { type: 'partner.answer', requestId: 'request-1', ...as(team) },
    { type: 'partner.withdraw', requestId: 'request-1', reason: 'not needed', ...as(team) },
    { type: 'clock.tick', by: system, at: c.now + 60 * DAY },
    { type: 'notice.undeliverable', kind: 'handoff-requested', key: 'handoff-requested@graph', ...as(system) },
  ];
}

/** Every state `depth` accepted events from a fresh pathway, with the events tried in each. */
export function statesNear(depth: number): { state: PathwaySnapshot; events: PathwayEvent[] }[] {
  const start = startPathway({ pathwayId: 'p-near', citizenRef: 'ref-1', team: 'outreach', policy: defaultPolicy, at: T0, by: member('outreach') }).snapshot;
  const seen: { state: PathwaySnapshot; events: PathwayEvent[] }[] = [];
  let frontier = [start];
  for (let d = 0; d < depth; d++) {
    const next: PathwaySnapshot[] = [];
    for (const state of frontier) {
      const events = eventsFor(state);
      seen.push({ state, events });
      for (const event of events) if (!check(state, event)) next.push(step(state, event).snapshot);
    }
    frontier = next;
  }
  return seen;
}
