import type { PathwayEvent } from './events';
import { nextPlanHistory, startPlanHistory, type PlanHistory } from './plan-record';
import type { Effect } from './effects';
import type { PathwaySnapshot } from './pathway-machine';
import { whereOf } from './where';
import { auditCountOf } from './audit-trail';

/**
 * What a pathway did, built step by step from each (before, event, after) and kept after its
 * run ends (records/pathway-records.ts, `PathwayHistory`, which this type must match: the
 * activity writing it checks that). Pure: the workflow keeps it and the record store gets copies.
 */
export interface CaseHistory extends PlanHistory {
  stages: { stage: string; enteredAt: number; leftAt: number | null }[];
  stays: {
    facilityId: string;
    startedAt: number;
    endedAt: number | null;
    endReason: string | null;
    pauses: { from: number; to: number | null; reason: string }[];
    extensions: { days: number; requestedAt: number; decidedAt: number | null; approved: boolean | null }[];
  }[];
  handoffs: { fromTeam: string; toTeam: string; target: string; requestedAt: number; acceptedAt: number | null; latencyMs: number | null }[];
  notices: { kind: string; to: 'coordinators' | 'supervisors'; sentAt: number }[];
  readmissions: { at: number }[];
  firstReachedAt: number | null;
  consentGivenAt: number | null;
  referredAt: number | null;
  assessmentOutcome: 'care-place' | 'other-offer' | 'no-need' | null;
  followUpOutcome: 'stable' | 'readmitted' | null;
}

/** The pathway's record with its identity, as the record store keeps it. */
export interface CaseRecord {
  pathwayId: string;
  citizenRef: string;
  team: string;
  openedAt: number;
  closedAt: number | null;
  closureReason: string | null;
  outcome: string | null;
  history: CaseHistory;
  /** The last audit entry it reflects: an older record arriving later must not replace it. */
  asOfSeq: number;
}

const stageOf = (s: PathwaySnapshot) => whereOf(s.value).stage;

/**
 * The history of a pathway first seen at `snapshot`: a new one, or one started on code older
 * than the record, of which only the current stage and what the context still holds are known.
 */
export function startCaseHistory(snapshot: PathwaySnapshot): CaseHistory {
  const c = snapshot.context;
  const stay = c.stay;
  return {
    stages: [{ stage: stageOf(snapshot), enteredAt: stageOf(snapshot) === 'closed' ? (c.closure?.at ?? c.now) : c.stageEnteredAt, leftAt: null }],
    stays: stay
      ? [
          {
            facilityId: stay.facilityId,
            startedAt: stay.startedAt,
            endedAt: null,
            endReason: null,
            pauses: stay.pausedSince === null ? [] : [{ from: stay.pausedSince, to: null, reason: 'hospital' }],
            extensions: [],
          },
        ]
      : [],
    handoffs: c.handoff ? [{ fromTeam: c.handoff.fromTeam, toTeam: c.handoff.toTeam, target: c.handoff.target, requestedAt: c.handoff.requestedAt, acceptedAt: null, latencyMs: null }] : [],
    notices: [],
    readmissions: [],
    firstReachedAt: c.lastContactAt,
    consentGivenAt: c.consent?.given ? c.consent.at : null,
    referredAt: null,
    assessmentOutcome: null,
    followUpOutcome: null,
    ...startPlanHistory(c),
  };
}

/** Replaces the last element matching `pick` by `change(it)`. */
function updateLast<T>(list: T[], pick: (t: T) => boolean, change: (t: T) => T): T[] {
  for (let i = list.length - 1; i >= 0; i--) if (pick(list[i]!)) return [...list.slice(0, i), change(list[i]!), ...list.slice(i + 1)];
  return list;
}

/** Whether a step changed the record (a new stage, say), so it is worth writing now. */
export const stageChanged = (before: PathwaySnapshot, after: PathwaySnapshot) => stageOf(before) !== stageOf(after);

/** The history after one step of the machine: `before` took `event` to `after`, emitting `effects`. */
export function nextCaseHistory(h: CaseHistory, before: PathwaySnapshot, event: PathwayEvent, after: PathwaySnapshot, effects: readonly Effect[] = []): CaseHistory {
  if (before === after) return h;
  const at = event.at;
  let next = h;
  const c0 = before.context;
  const c1 = after.context;

  if (stageChanged(before, after)) {
    const enteredAt = stageOf(after) === 'closed' ? (c1.closure?.at ?? at) : c1.stageEnteredAt;
    next = { ...next, stages: [...updateLast(next.stages, (s) => s.leftAt === null, (s) => ({ ...s, leftAt: enteredAt })), { stage: stageOf(after), enteredAt, leftAt: null }] };
  }

  // Stays: a place granted, paused in hospital, extended, and ended (discharge, hold expired, closure).
  const openStay = (s: CaseHistory['stays'][number]) => s.endedAt === null;
  // A discharge leaves the stay in the context: leaving the stage ends it too.
  const stayEnded = c0.stay !== null && (c1.stay === null || (stageOf(before) === 'stay' && stageOf(after) !== 'stay'));
  if (!c0.stay && c1.stay) {
    next = { ...next, stays: [...next.stays, { facilityId: c1.stay.facilityId, startedAt: c1.stay.startedAt, endedAt: null, endReason: null, pauses: [], extensions: [] }] };
  } else if (c0.stay && c1.stay && !stayEnded) {
    if (c0.stay.pausedSince === null && c1.stay.pausedSince !== null) {
      const from = c1.stay.pausedSince;
      next = { ...next, stays: updateLast(next.stays, openStay, (s) => ({ ...s, pauses: [...s.pauses, { from, to: null, reason: 'hospital' }] })) };
    } else if (c0.stay.pausedSince !== null && c1.stay.pausedSince === null) {
      next = { ...next, stays: updateLast(next.stays, openStay, (s) => ({ ...s, pauses: updateLast(s.pauses, (p) => p.to === null, (p) => ({ ...p, to: at })) })) };
    }
    const asked = c1.stay.extensionRequest;
    if (!c0.stay.extensionRequest && asked) {
      const ext = { days: asked.days, requestedAt: asked.requestedAt, decidedAt: null, approved: null };
      next = { ...next, stays: updateLast(next.stays, openStay, (s) => ({ ...s, extensions: [...s.extensions, ext] })) };
    } else if (c0.stay.extensionRequest && !asked) {
      const approved = c1.stay.extendedDays > c0.stay.extendedDays;
      const days = approved ? c1.stay.extendedDays - c0.stay.extendedDays : c0.stay.extensionRequest.days;
      next = {
        ...next,
        stays: updateLast(next.stays, openStay, (s) => ({
          ...s,
          extensions: updateLast(s.extensions, (e) => e.decidedAt === null, (e) => ({ ...e, days, decidedAt: at, approved })),
        })),
      };
    }
  } else if (c0.stay && stayEnded) {
    const hold = c0.stay.pausedSince !== null && stageOf(after) === 'waiting';
    const endedAt = hold ? c1.stageEnteredAt : at;
    const endReason = hold ? 'hospital-hold-expired' : stageOf(after) === 'closed' ? 'closed' : 'discharged';
    next = {
      ...next,
      stays: updateLast(next.stays, openStay, (s) => ({ ...s, endedAt, endReason, pauses: s.pauses.map((p) => (p.to === null ? { ...p, to: endedAt } : p)) })),
    };
  }

  // Handoffs: asked for, and accepted (with how long the receiving team took).
  if (!c0.handoff && c1.handoff) {
    const { fromTeam, toTeam, target, requestedAt } = c1.handoff;
    next = { ...next, handoffs: [...next.handoffs, { fromTeam, toTeam, target, requestedAt, acceptedAt: null, latencyMs: null }] };
  } else if (c0.handoff && !c1.handoff && event.type === 'handoff.accept') {
    next = { ...next, handoffs: updateLast(next.handoffs, (x) => x.acceptedAt === null, (x) => ({ ...x, acceptedAt: at, latencyMs: Math.max(0, at - x.requestedAt) })) };
  }

  next = { ...next, ...nextPlanHistory(next, c0, c1, event) };

  const notices = effects.flatMap((e) =>
    e.type === 'notify' ? [{ kind: e.kind, to: e.notice.audience === 'supervisors' ? ('supervisors' as const) : ('coordinators' as const), sentAt: e.dueAt }] : [],
  );
  if (notices.length > 0) next = { ...next, notices: [...next.notices, ...notices] };

  switch (event.type) {
    case 'contact.log':
      if (event.outcome === 'reached' && next.firstReachedAt === null) next = { ...next, firstReachedAt: at };
      break;
    case 'consent.record':
      if (event.given && next.consentGivenAt === null) next = { ...next, consentGivenAt: at };
      break;
    case 'referral.request':
      if (next.referredAt === null) next = { ...next, referredAt: at };
      break;
    case 'assessment.outcome':
      next = { ...next, assessmentOutcome: event.outcome };
      break;
    case 'followUp.complete':
      next = { ...next, followUpOutcome: event.outcome };
      break;
    case 'readmission.record':
      next = { ...next, readmissions: [...next.readmissions, { at }] };
      break;
  }
  return next;
}

/** The pathway's record as of `snapshot`, with its history. */
export function caseRecordOf(snapshot: PathwaySnapshot, history: CaseHistory): CaseRecord {
  const c = snapshot.context;
  return {
    pathwayId: c.pathwayId,
    citizenRef: c.citizenRef,
    team: c.responsibleTeam,
    openedAt: c.createdAt,
    closedAt: c.closure?.at ?? null,
    closureReason: c.closure?.reason ?? null,
    outcome: history.followUpOutcome ?? history.assessmentOutcome,
    history,
    asOfSeq: auditCountOf(c),
  };
}
