import type { PathwayContext } from './context';
import type { Actor, EventOf, PathwayEvent, PathwayEventType } from './events';
import { activePeers, circleRefusal } from './circle';
import { recoveryRefusal } from './recovery';
import { refuse, type Refusal } from './refusals';
import { DAY } from './time';

/**
 * Who may send which event, and what must hold first. The machine's guards call these
 * functions, and the view calls the same ones to explain an unavailable action, so the
 * reason a person reads is the reason the engine applies.
 */

type Who = 'team' | 'team-or-peer' | 'receiving-team' | 'supervisor' | 'other-supervisor' | 'team-or-self' | 'system';

interface Rule<T extends PathwayEventType> {
  who: Who;
  /** A precondition on the pathway alone; returns the refusal when it fails. */
  when?: (c: PathwayContext) => Refusal | undefined;
  /** A check of this particular payload against the pathway. */
  payload?: (c: PathwayContext, e: EventOf<T>) => Refusal | undefined;
}

/** How far back a contact may be dated. */
const CONTACT_DAYS_BACK = 30;
const pendingExtension = (c: PathwayContext) => c.stay?.extensionRequest ?? null;
const extensionDaysLeft = (c: PathwayContext) => c.policy.stay.maxExtensionDays - (c.stay?.extendedDays ?? 0);
const tooManyDays = (c: PathwayContext, days: number) =>
  days > extensionDaysLeft(c) ? refuse('extension-too-long', { daysLeft: extensionDaysLeft(c) }) : undefined;

const rules: { [T in PathwayEventType]: Rule<T> } = {
  'contact.log': {
    // A peer worker logs their own contacts with the citizen.
    who: 'team-or-peer',
    // Dated back a little (a night round written up in the morning, a meeting before the pathway was opened), never ahead.
    payload: (_, e) =>
      e.contactedAt !== undefined && (e.contactedAt > e.at || e.contactedAt < e.at - CONTACT_DAYS_BACK * DAY)
        ? refuse('contact-time-invalid', { days: CONTACT_DAYS_BACK })
        : undefined,
  },
  'consent.record': { who: 'team', payload: circleRefusal },
  'referral.request': {
    who: 'team',
    when: (c) => (c.consent?.given ? undefined : refuse('consent-required')),
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
    when: (c) => (c.stay?.dischargePlanningStartedAt != null ? refuse('discharge-planning-started') : undefined),
  },
  'extension.request': {
    who: 'team',
    when: (c) =>
      pendingExtension(c)
        ? refuse('extension-pending')
        : extensionDaysLeft(c) <= 0
          ? refuse('extension-maximum-reached', { maxDays: c.policy.stay.maxExtensionDays })
          : undefined,
    payload: (c, e) => tooManyDays(c, e.days),
  },
  'extension.approve': {
    who: 'other-supervisor',
    when: (c) => (pendingExtension(c) ? undefined : refuse('no-extension-requested')),
    payload: (c, e) => tooManyDays(c, e.days ?? 0),
  },
  'extension.decline': {
    who: 'other-supervisor',
    when: (c) => (pendingExtension(c) ? undefined : refuse('no-extension-requested')),
  },
  'discharge.request': { who: 'team' },
  'readmission.record': { who: 'team' },
  'followUp.complete': { who: 'team' },
  'coordinator.assign': {
    who: 'team-or-self',
    payload: (c, e) => (e.coordinator === c.coordinator ? refuse('already-coordinator', { coordinator: e.coordinator }) : undefined),
  },
  'pathway.reassign': {
    who: 'supervisor',
    when: (c) => (c.handoff ? refuse('answer-handoff-first') : undefined),
    payload: (c, e) => (e.toTeam === c.responsibleTeam ? refuse('already-responsible', { team: e.toTeam }) : undefined),
  },
  'note.add': { who: 'team' },
  'goal.add': { who: 'team', payload: recoveryRefusal },
  'goal.review': { who: 'team', payload: recoveryRefusal },
  'goal.close': { who: 'team', payload: recoveryRefusal },
  'review.yearly': { who: 'team' },
  'safety.set': { who: 'team', payload: recoveryRefusal },
  'safety.clear': { who: 'team', when: (c) => (c.safety ? undefined : refuse('no-safety-marker')) },
  'admissions.before': { who: 'team', payload: recoveryRefusal },
  'admission.record': { who: 'team', payload: recoveryRefusal },
  'network.add': { who: 'team', payload: circleRefusal },
  'network.remove': { who: 'team', payload: circleRefusal },
  'peer.attach': { who: 'team', payload: circleRefusal },
  'peer.detach': { who: 'team', payload: circleRefusal },
  'partner.request': { who: 'team', payload: circleRefusal },
  'partner.answer': { who: 'team', payload: circleRefusal },
  'partner.withdraw': { who: 'team', payload: circleRefusal },
  'pathway.close': { who: 'team' },
  'clock.tick': {
    who: 'system',
    payload: (c, e) => (e.at < c.now ? refuse('time-backwards') : undefined),
  },
  'notice.undeliverable': { who: 'system' },
  'place.grant': {
    who: 'system',
    payload: (c, e) =>
      c.facilityId === null
        ? refuse('not-on-waitlist')
        : c.facilityId !== e.facilityId
          ? refuse('waiting-elsewhere', { waitingFor: c.facilityId, granted: e.facilityId })
          : undefined,
  },
};

const careRoles = new Set(['coordinator', 'supervisor']);

function whoRefusal(who: Who, c: PathwayContext, actor: Actor, type: string): Refusal | undefined {
  const inTeam = (team: string) => careRoles.has(actor.role) && actor.teams.includes(team);
  switch (who) {
    case 'system':
      return actor.role === 'system' ? undefined : refuse('engine-only', { event: type });
    case 'team':
    case 'team-or-self':
      return inTeam(c.responsibleTeam) ? undefined : refuse('not-responsible-team', { team: c.responsibleTeam });
    case 'team-or-peer':
      return actor.role === 'peer' && activePeers(c).includes(actor.id) ? undefined : whoRefusal('team', c, actor, type);
    case 'receiving-team':
      if (!c.handoff) return refuse('no-handoff-pending');
      return inTeam(c.handoff.toTeam) ? undefined : refuse('not-receiving-team', { team: c.handoff.toTeam });
    case 'supervisor':
      return actor.role === 'supervisor' && actor.teams.includes(c.responsibleTeam)
        ? undefined
        : refuse('supervisor-required', { team: c.responsibleTeam });
    case 'other-supervisor': {
      const asked = c.stay?.extensionRequest?.requestedBy;
      return whoRefusal('supervisor', c, actor, type) ?? (c.policy.fourEyes && asked === actor.id ? refuse('four-eyes', { requestedBy: asked }) : undefined);
    }
  }
}

/** Why `actor` may not send an event of `type` now, whatever its payload; undefined if they may. */
export function refusalFor(type: PathwayEventType, c: PathwayContext, actor: Actor): Refusal | undefined {
  const rule = rules[type] as Rule<PathwayEventType>;
  return whoRefusal(rule.who, c, actor, type) ?? rule.when?.(c);
}

/** Why this very event is refused; undefined if the rules allow it. */
export function refusalOf(c: PathwayContext, e: PathwayEvent): Refusal | undefined {
  const general = refusalFor(e.type, c, e.by);
  if (general) return general;
  if (e.type === 'coordinator.assign' && e.by.role === 'coordinator' && e.coordinator !== e.by.id) return refuse('self-assign-only');
  const rule = rules[e.type] as Rule<PathwayEventType>;
  return rule.payload?.(c, e);
}
