import type { PathwayContext } from './context';
import { deadlines, flags, stayEndsAt, type DeadlineKind, type Flag } from './deadlines';
import { commandTypes, type Actor, type CommandType, type PathwayEvent } from './events';
import type { PathwaySnapshot } from './pathway-machine';
import { refusalFor, refusalOf, type Refusal } from './rules';
import { whereOf, type Where } from './where';

const describe: Record<`${Where['stage']}.${string}`, string> = {
  'outreach.working': 'in outreach',
  'outreach.handingOff': 'waiting for the assessment team to accept the referral',
  'assessment.working': 'in assessment',
  'assessment.handingOff': 'waiting for the care-place team to accept the pathway',
  'waiting.waiting': 'waiting for a care place',
  'stay.present': 'in a care-place stay',
  'stay.admitted': 'admitted to hospital during the stay',
  'stay.handingOff': 'waiting for housing support to accept the discharge',
  'followUp.followUp': 'in follow-up after discharge',
  'closed.closed': 'closed',
};

export function describeWhere(where: Where): string {
  const text = describe[`${where.stage}.${where.step}`];
  if (!text) throw new Error(`no description for ${where.stage}.${where.step}`);
  return text;
}

/** Event types some transition of the current state handles (guards aside). */
function handledTypes(snapshot: PathwaySnapshot): Set<string> {
  return new Set(snapshot._nodes.flatMap((node) => [...node.ownEvents]));
}

/**
 * Why the machine would refuse `event` now, or undefined if it accepts it. Update validators
 * call this: it adds the plain-language reason that `snapshot.can` cannot give.
 */
export function check(snapshot: PathwaySnapshot, event: PathwayEvent): Refusal | undefined {
  const where = whereOf(snapshot.value);
  if (!handledTypes(snapshot).has(event.type)) {
    return { code: 'conflict', reason: `${event.type} is not possible while the pathway is ${describeWhere(where)}` };
  }
  const refusal = refusalOf(snapshot.context, event);
  if (refusal) return refusal;
  // The rules and the statechart agree by construction; this catches the day they do not.
  if (!snapshot.can(event)) return { code: 'conflict', reason: `${event.type} is not possible now` };
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
  version: number;
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

/** The actions `actor` may take now, and for each other one the reason it is unavailable. */
export function actionsFor(snapshot: PathwaySnapshot, actor: Actor): ActionView[] {
  const where = whereOf(snapshot.value);
  const handled = handledTypes(snapshot);
  return commandTypes.map((type): ActionView => {
    if (!handled.has(type)) {
      return { type, available: false, code: 'conflict', reason: `not possible while the pathway is ${describeWhere(where)}` };
    }
    const refusal = refusalFor(type, snapshot.context, actor);
    return refusal ? { type, available: false, ...refusal } : { type, available: true };
  });
}

export function viewOf(snapshot: PathwaySnapshot, actor: Actor): PathwayView {
  const c = snapshot.context;
  const where = whereOf(snapshot.value);
  const all = deadlines(where.stage, c).map(
    (d): DeadlineView => ({ kind: d.kind, at: d.at, passed: d.at <= c.now, ...(d.flag ? { flag: d.flag } : {}) }),
  );
  return {
    ...stageView(where, c),
    pathwayId: c.pathwayId,
    citizenRef: c.citizenRef,
    version: c.version,
    status: describeWhere(where),
    responsibleTeam: c.responsibleTeam,
    coordinator: c.coordinator,
    stageEnteredAt: c.stageEnteredAt,
    createdAt: c.createdAt,
    asOf: c.now,
    handoff: c.handoff,
    flags: flags(where.stage, c),
    deadlines: all,
    nextDeadline: all.find((d) => !d.passed) ?? null,
    actions: actionsFor(snapshot, actor),
  };
}
