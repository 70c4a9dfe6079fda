import { getNextTransitions } from 'xstate';
import type { PathwayContext } from './context';
import { deadlines, flags, stayEndsAt, type DeadlineKind, type Flag } from './deadlines';
import { commandTypes, type Actor, type CommandType, type PathwayEvent } from './events';
import type { PathwaySnapshot } from './pathway-machine';
import { activePeers, type NetworkContact, type PartnerRequest, type ScopedConsent } from './circle';
import type { Admissions, Goal, SafetyMarker } from './recovery';
import { refuse, type Refusal } from './refusals';
import { refusalFor, refusalOf } from './rules';
import { asOf } from './step';
import { describeWhere, whereKey, whereOf, type Where, type WhereKey } from './where';

/** Event types some transition of the current state handles (guards aside), by XState's public API. */
function handledTypes(snapshot: PathwaySnapshot): Set<string> {
  return new Set(getNextTransitions(snapshot).map((t) => t.eventType));
}

const notInStage = (type: string, where: Where) => refuse('not-possible-in-stage', { event: type, stage: where.stage, step: where.step });

/**
 * Why the machine would refuse `event` now, or undefined if it accepts it. Update validators
 * call this: it adds the reason, as data, that `snapshot.can` cannot give.
 */
export function check(snapshot: PathwaySnapshot, event: PathwayEvent): Refusal | undefined {
  if (!handledTypes(snapshot).has(event.type)) return notInStage(event.type, whereOf(snapshot.value));
  const refusal = refusalOf(snapshot.context, event);
  if (refusal) return refusal;
  // The rules and the statechart agree by construction; this catches the day they do not.
  if (!snapshot.can(event)) return refuse('not-possible-now', { event: event.type });
  return undefined;
}

export type ActionView = { type: CommandType; available: true } | { type: CommandType; available: false } & Refusal;

export interface DeadlineView {
  kind: DeadlineKind;
  at: number;
  passed: boolean;
  flag?: Flag;
}

export interface StayView {
  facilityId: string;
  startedAt: number;
  endsAt: number;
  /** Day of the stay on the stay clock (1 on the first day; pauses excluded). */
  day: number;
  paused: boolean;
  extendedDays: number;
  dischargePlanningStartedAt: number | null;
  extensionRequest: { days: number; reason: string; requestedAt: number; requestedBy: string } | null;
}

type StageView =
  | { stage: 'outreach'; step: 'working' | 'handingOff'; consent: PathwayContext['consent']; lastContactAt: number | null }
  | { stage: 'assessment'; step: 'working' | 'handingOff' }
  | { stage: 'waiting'; step: 'waiting'; facilityId: string | null }
  | { stage: 'stay'; step: 'present' | 'admitted' | 'handingOff'; stay: StayView }
  | { stage: 'followUp'; step: 'followUp'; followUp: NonNullable<PathwayContext['followUp']> }
  | { stage: 'closed'; step: 'closed'; closure: NonNullable<PathwayContext['closure']> };

/** The stable public face of a pathway, for one actor: what it is, and what they may do. */
export type PathwayView = StageView & {
  pathwayId: string;
  citizenRef: string;
  citizenName: string | null;
  version: number;
  /** Stage and step as one key, for clients to describe in their own language. */
  where: WhereKey;
  /** The same in English, for the CLI and logs. */
  status: string;
  responsibleTeam: string;
  coordinator: string | null;
  stageEnteredAt: number;
  createdAt: number;
  asOf: number;
  handoff: PathwayContext['handoff'];
  flags: Flag[];
  deadlines: DeadlineView[];
  nextDeadline: DeadlineView | null;
  actions: ActionView[];
  /** The citizen's recovery plan: open goals first, then the closed ones the pathway still holds. */
  goals: Goal[];
  safety: SafetyMarker | null;
  admissions: Admissions;
  /** The network, scoped consents, attached peer workers (`active`: the citizen's consent holds) and partner requests. */
  circle: { contacts: NetworkContact[]; consents: ScopedConsent[]; peers: { id: string; active: boolean }[]; requests: PartnerRequest[] };
  /** Who may see the case as a peer worker now: what access checks read (machines/authorization.ts). */
  peers: string[];
};

function stageView(where: Where, c: PathwayContext): StageView {
  const missing = (what: string) => new Error(`pathway ${c.pathwayId} is ${where.stage} but has no ${what}`);
  switch (where.stage) {
    case 'outreach':
      return { ...where, consent: c.consent, lastContactAt: c.lastContactAt };
    case 'assessment':
      return where;
    case 'waiting':
      return { ...where, facilityId: c.facilityId };
    case 'stay': {
      const s = c.stay;
      if (!s) throw missing('stay clock');
      const paused = s.pausedMs + (s.pausedSince === null ? 0 : c.now - s.pausedSince);
      return {
        ...where,
        stay: {
          facilityId: s.facilityId,
          startedAt: s.startedAt,
          endsAt: stayEndsAt(s, c.policy, c.now),
          day: Math.floor((c.now - s.startedAt - paused) / 86_400_000) + 1,
          paused: s.pausedSince !== null,
          extendedDays: s.extendedDays,
          dischargePlanningStartedAt: s.dischargePlanningStartedAt,
          extensionRequest: s.extensionRequest,
        },
      };
    }
    case 'followUp':
      if (!c.followUp) throw missing('follow-up');
      return { ...where, followUp: c.followUp };
    case 'closed':
      if (!c.closure) throw missing('closure');
      return { ...where, closure: c.closure };
  }
}

/**
 * The actions the present stage and step handle, each with whether `actor` may take it now
 * and, if not, why. Those it does not handle are left out (sent, they are refused as
 * `not-possible-in-stage`): listed, they were nine tenths of every action's answer.
 */
export function actionsFor(snapshot: PathwaySnapshot, actor: Actor): ActionView[] {
  const handled = handledTypes(snapshot);
  return commandTypes
    .filter((type) => handled.has(type))
    .map((type): ActionView => {
      const refusal = refusalFor(type, snapshot.context, actor);
      return refusal ? { type, available: false, ...refusal } : { type, available: true };
    });
}

/**
 * The pathway as `actor` sees it at `at` (default: its latest event). A reader comes later than
 * the last event, so day counts, passed deadlines, flags and actions are those of a copy with
 * the time passed to `at`; nothing is applied to the pathway itself.
 */
export function viewOf(snapshot: PathwaySnapshot, actor: Actor, at?: number): PathwayView {
  // `at` may come from a query's arguments: anything but a number means the latest event.
  const reading = typeof at === 'number' && Number.isFinite(at) ? Math.max(at, snapshot.context.now) : snapshot.context.now;
  const current = asOf(snapshot, reading);
  const c = current.context;
  const where = whereOf(current.value);
  const all = deadlines(where.stage, c).map(
    (d): DeadlineView => ({ kind: d.kind, at: d.at, passed: d.at <= c.now, ...(d.flag ? { flag: d.flag } : {}) }),
  );
  const view: PathwayView = {
    ...stageView(where, c),
    pathwayId: c.pathwayId,
    citizenRef: c.citizenRef,
    citizenName: c.citizenName ?? null,
    version: c.version,
    where: whereKey(where),
    status: describeWhere(where),
    responsibleTeam: c.responsibleTeam,
    coordinator: c.coordinator,
    stageEnteredAt: c.stageEnteredAt,
    createdAt: c.createdAt,
    asOf: reading,
    handoff: c.handoff,
    flags: flags(where.stage, c),
    deadlines: all,
    nextDeadline: all.find((d) => !d.passed) ?? null,
    actions: actionsFor(current, actor),
    goals: [...(c.plan?.goals ?? [])].sort((a, b) => Number(a.closed !== null) - Number(b.closed !== null)),
    safety: c.safety ?? null,
    admissions: c.admissions ?? { before: null, during: [] },
    circle: {
      contacts: c.circle?.contacts ?? [],
      consents: c.circle?.consents ?? [],
      peers: (c.circle?.peers ?? []).map((id) => ({ id, active: activePeers(c).includes(id) })),
      requests: c.circle?.requests ?? [],
    },
    peers: activePeers(c),
  };
  return actor.role === 'peer' ? peerView(view) : view;
}

const partnerKinds = new Set<string>(['partner-reminder', 'partner-due']);

/**
 * What a peer worker sees: the plan, the safety marker and where the pathway is; not the
 * clinical side (admissions, the reasons given for an extension), nor the network and partners
 * (their requests and deadlines), which the citizen shared with the team.
 */
function peerView(view: PathwayView): PathwayView {
  const stage = view.stage === 'stay' && view.stay.extensionRequest ? { stay: { ...view.stay, extensionRequest: { ...view.stay.extensionRequest, reason: '' } } } : {};
  const deadlines = view.deadlines.filter((d) => !partnerKinds.has(d.kind));
  return {
    ...view,
    ...stage,
    flags: view.flags.filter((f) => f !== 'partner-overdue'),
    deadlines,
    nextDeadline: deadlines.find((d) => !d.passed) ?? null,
    admissions: { before: null, during: [] },
    circle: { contacts: [], consents: [], peers: [], requests: [] },
  } as PathwayView;
}
