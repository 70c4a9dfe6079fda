import type { PathwayContext } from './context';
import type { Actor, EventOf, PathwayEvent, PathwayEventType } from './events';

/**
 * Who may send which event, and what must hold first. The machine's guards call these
 * functions, and the view calls the same ones to explain an unavailable action, so the
 * reason a person reads is the reason the engine applies.
 */

export type Refusal = { code: 'forbidden' | 'conflict'; reason: string };

type Who = 'team' | 'receiving-team' | 'supervisor' | 'team-or-self' | 'system';

interface Rule<T extends PathwayEventType> {
  who: Who;
  /** A precondition on the pathway alone; returns the reason it fails. */
  when?: (c: PathwayContext) => string | undefined;
  /** A check of this particular payload against the pathway. */
  payload?: (c: PathwayContext, e: EventOf<T>) => string | undefined;
}

const pendingExtension = (c: PathwayContext) => c.stay?.extensionRequest ?? null;
const extensionDaysLeft = (c: PathwayContext) => c.policy.stay.maxExtensionDays - (c.stay?.extendedDays ?? 0);

const rules: { [T in PathwayEventType]: Rule<T> } = {
  'contact.log': { who: 'team' },
  'consent.record': { who: 'team' },
  'referral.request': {
    who: 'team',
    when: (c) => (c.consent?.given ? undefined : 'the citizen has not consented to sharing information with the region'),
  },
  'handoff.accept': { who: 'receiving-team' },
  'handoff.reject': { who: 'receiving-team' },
  'handoff.cancel': { who: 'team' },
  'assessment.outcome': { who: 'team' },
  'waitlist.join': { who: 'team' },
  'hospital.admit': { who: 'team' },
  'hospital.return': { who: 'team' },
  'dischargePlanning.start': {
    who: 'team',
    when: (c) => (c.stay?.dischargePlanningStartedAt != null ? 'discharge planning has already started' : undefined),
  },
  'extension.request': {
    who: 'team',
    when: (c) =>
      pendingExtension(c)
        ? 'an extension request is already waiting for a supervisor'
        : extensionDaysLeft(c) <= 0
          ? `the stay has already been extended by the policy maximum of ${c.policy.stay.maxExtensionDays} days`
          : undefined,
    payload: (c, e) =>
      e.days > extensionDaysLeft(c) ? `at most ${extensionDaysLeft(c)} more days may be added to this stay` : undefined,
  },
  'extension.approve': {
    who: 'supervisor',
    when: (c) => (pendingExtension(c) ? undefined : 'no extension has been requested'),
    payload: (c, e) =>
      (e.days ?? 0) > extensionDaysLeft(c) ? `at most ${extensionDaysLeft(c)} more days may be added to this stay` : undefined,
  },
  'extension.decline': {
    who: 'supervisor',
    when: (c) => (pendingExtension(c) ? undefined : 'no extension has been requested'),
  },
  'discharge.request': { who: 'team' },
  'readmission.record': { who: 'team' },
  'followUp.complete': { who: 'team' },
  'coordinator.assign': {
    who: 'team-or-self',
    payload: (c, e) => (e.coordinator === c.coordinator ? `${e.coordinator} is already the coordinator` : undefined),
  },
  'pathway.reassign': {
    who: 'supervisor',
    when: (c) => (c.handoff ? 'answer or cancel the pending handoff first' : undefined),
    payload: (c, e) => (e.toTeam === c.responsibleTeam ? `${e.toTeam} is already responsible` : undefined),
  },
  'note.add': { who: 'team' },
  'pathway.close': { who: 'team' },
  'clock.tick': {
    who: 'system',
    payload: (c, e) => (e.at < c.now ? 'time does not run backwards' : undefined),
  },
  'notice.undeliverable': { who: 'system' },
  'place.grant': {
    who: 'system',
    payload: (c, e) =>
      c.facilityId === null
        ? 'the pathway is on no waitlist'
        : c.facilityId !== e.facilityId
          ? `the pathway waits for a place at ${c.facilityId}, not ${e.facilityId}`
          : undefined,
  },
};

const careRoles = new Set(['coordinator', 'supervisor']);

function whoRefusal(who: Who, c: PathwayContext, actor: Actor, type: string): Refusal | undefined {
  const inTeam = (team: string) => careRoles.has(actor.role) && actor.teams.includes(team);
  switch (who) {
    case 'system':
      return actor.role === 'system' ? undefined : { code: 'forbidden', reason: `${type} is sent by the engine, not by a person` };
    case 'team':
    case 'team-or-self':
      return inTeam(c.responsibleTeam)
        ? undefined
        : { code: 'forbidden', reason: `only the responsible team (${c.responsibleTeam}) may do this` };
    case 'receiving-team':
      if (!c.handoff) return { code: 'conflict', reason: 'no handoff is pending' };
      return inTeam(c.handoff.toTeam)
        ? undefined
        : { code: 'forbidden', reason: `only the receiving team (${c.handoff.toTeam}) may answer this handoff` };
    case 'supervisor':
      return actor.role === 'supervisor' && actor.teams.includes(c.responsibleTeam)
        ? undefined
        : { code: 'forbidden', reason: `only a supervisor of ${c.responsibleTeam} may do this` };
  }
}

/** Why `actor` may not send an event of `type` now, whatever its payload; undefined if they may. */
export function refusalFor(type: PathwayEventType, c: PathwayContext, actor: Actor): Refusal | undefined {
  const rule = rules[type] as Rule<PathwayEventType>;
  const who = whoRefusal(rule.who, c, actor, type);
  if (who) return who;
  const when = rule.when?.(c);
  return when ? { code: 'conflict', reason: when } : undefined;
}

/** Why this very event is refused; undefined if the rules allow it. */
export function refusalOf(c: PathwayContext, e: PathwayEvent): Refusal | undefined {
  const general = refusalFor(e.type, c, e.by);
  if (general) return general;
  const rule = rules[e.type] as Rule<PathwayEventType>;
  if (rule.who === 'team-or-self' && e.by.role === 'coordinator' && e.type === 'coordinator.assign' && e.coordinator !== e.by.id) {
    return { code: 'forbidden', reason: 'a coordinator may only assign the pathway to themselves' };
  }
  const payload = rule.payload?.(c, e);
  return payload ? { code: 'conflict', reason: payload } : undefined;
}

