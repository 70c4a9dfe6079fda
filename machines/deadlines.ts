import type { PathwayContext, StayClock } from './context';
import { previousWorkingDay } from './calendar';
import type { Policy } from './policy';
import { openRequests } from './circle';
import { openGoals } from './recovery';
import { DAY, HOUR } from './time';
import type { Stage } from './where';

/**
 * The time rules of docs/domain.md as a pure function of the pathway's stage and what it
 * remembers. Deadlines are absolute epoch milliseconds computed from recorded facts, never
 * from timers, so a restart, a new worker or continue-as-new cannot stretch them. The
 * workflow sleeps until the earliest one ahead and then tells the machine the time.
 */

export const flagNames = [
  'handoff-pending',
  'handoff-overdue',
  'no-contact',
  'overdue',
  'stay-limit-near',
  'stay-limit-exceeded',
  'discharge-planning-late',
  'hospital-admitted',
  'hold-expired',
  'extension-requested',
  'readmitted',
  'review-missed',
  'yearly-review-due',
  'safety-marker',
  'safety-review-due',
  'partner-overdue',
] as const;
export type Flag = (typeof flagNames)[number];

export type DeadlineKind =
  | 'no-contact'
  | 'stage-overdue'
  | 'handoff-reminder'
  | 'handoff-overdue'
  | 'stay-reminder'
  | 'stay-limit-near'
  | 'stay-limit'
  | 'discharge-planning'
  | 'hospital-hold'
  | 'follow-up-due'
  | 'review-reminder'
  | 'review-due'
  | 'yearly-review'
  | 'safety-review'
  | 'partner-reminder'
  | 'partner-due';

/** Who hears about a deadline when it passes. */
export interface Notice {
  audience: 'team' | 'supervisors';
  teams: string[];
}

export interface Deadline {
  /** Stable identity: the same deadline always has the same key, a moved one a new key. */
  key: string;
  kind: DeadlineKind;
  at: number;
  /** Raised from `at` on, for as long as the deadline stands. */
  flag?: Flag;
  /** Sent once, when time passes `at`. */
  notice?: Notice;
  /** The moment the notice is about, when not `at` itself (a reminder is about the stay's end). */
  about?: number;
}

const deadline = (kind: DeadlineKind, at: number, rest: Omit<Deadline, 'key' | 'kind' | 'at'>, tag = ''): Deadline => ({
  key: `${kind}${tag}@${new Date(at).toISOString()}`,
  kind,
  at,
  ...rest,
});

/** When the stay ends: start + limit + extensions + time spent in hospital (the clock stands still there). */
export function stayEndsAt(stay: StayClock, policy: Policy, now: number): number {
  const paused = stay.pausedMs + (stay.pausedSince === null ? 0 : now - stay.pausedSince);
  return stay.startedAt + (policy.stay.limitDays + stay.extendedDays) * DAY + paused;
}

/** Day `n` of the stay on the stay clock (pauses excluded). */
export function stayDay(stay: StayClock, n: number): number {
  return stay.startedAt + n * DAY + stay.pausedMs;
}

/** A stay reminder, with the time it was due before the calendar moved it. */
type StayReminder = Deadline & { due: number };

function stayReminders(stay: StayClock, p: Policy, now: number, team: Notice): StayReminder[] {
  const end = stayEndsAt(stay, p, now);
  return p.stay.reminderDaysBefore.map((before) => {
    const due = end - before * DAY;
    // Nobody reads a reminder on a Sunday: send it on the working day before.
    const at = p.calendar?.moveReminders ? previousWorkingDay(due, p.calendar) : due;
    return { ...deadline('stay-reminder', at, { notice: team, about: end }, `-${before}d`), due };
  });
}

/**
 * Stay reminders that a move of the stay's end (an approved extension, a return from hospital)
 * makes known only after their time: still due on the new end, but moved off a closed day to a
 * working day already past. Time passing never crosses them, so they are sent at once, keys
 * unchanged. `c` is the pathway before the move (its `now` the moment of it), `next` the moved
 * clock. A reminder whose own time has passed too is not sent, as without the calendar: later
 * ones follow. Ones already sent before the move (same key, time passed) are not sent again.
 */
export function lateStayReminders(c: PathwayContext, next: StayClock): Deadline[] {
  const was = c.stay;
  if (!was || next.pausedSince !== null) return [];
  const team: Notice = { audience: 'team', teams: [c.responsibleTeam] };
  // What had gone out: the reminders in force up to now, or, in hospital, up to the admission.
  const until = was.pausedSince ?? c.now;
  const sent = new Set(stayReminders({ ...was, pausedSince: null }, c.policy, until, team).filter((d) => d.at <= until).map((d) => d.key));
  return stayReminders(next, c.policy, c.now, team)
    .filter((d) => d.at <= c.now && d.due > c.now && !sent.has(d.key))
    .map(({ due: _, ...d }) => d);
}

export function deadlines(stage: Stage, c: PathwayContext): Deadline[] {
  const p = c.policy;
  const team: Notice = { audience: 'team', teams: [c.responsibleTeam] };
  const supervisors: Notice = { audience: 'supervisors', teams: [c.responsibleTeam] };
  const out: Deadline[] = [];

  switch (stage) {
    case 'outreach': {
      const since = c.lastContactAt ?? c.stageEnteredAt;
      out.push(deadline('no-contact', since + p.outreach.noContactDays * DAY, { flag: 'no-contact', notice: team }));
      break;
    }
    case 'assessment':
      out.push(deadline('stage-overdue', c.stageEnteredAt + p.assessment.overdueDays * DAY, { flag: 'overdue', notice: supervisors }));
      break;
    case 'waiting':
      out.push(deadline('stage-overdue', c.stageEnteredAt + p.waiting.overdueDays * DAY, { flag: 'overdue', notice: supervisors }));
      break;
    case 'stay': {
      const stay = c.stay;
      if (!stay) throw new Error('a pathway in the stay stage has no stay clock');
      if (stay.pausedSince !== null) {
        // Admitted to hospital: the stay clock stands still; only the hold on the place runs.
        out.push(deadline('hospital-hold', stay.pausedSince + p.stay.hospitalHoldDays * DAY, { flag: 'hold-expired', notice: supervisors }));
        break;
      }
      const end = stayEndsAt(stay, p, c.now);
      for (const { due: _, ...reminder } of stayReminders(stay, p, c.now, team)) out.push(reminder);
      out.push(deadline('stay-limit-near', end - p.stay.nearLimitDays * DAY, { flag: 'stay-limit-near' }));
      out.push(deadline('stay-limit', end, { flag: 'stay-limit-exceeded', notice: supervisors }));
      if (stay.dischargePlanningStartedAt === null) {
        out.push(
          deadline('discharge-planning', stayDay(stay, p.stay.dischargePlanningByDay), { flag: 'discharge-planning-late', notice: team }),
        );
      }
      break;
    }
    case 'followUp':
      out.push(deadline('follow-up-due', c.stageEnteredAt + p.followUp.days * DAY, { flag: 'overdue', notice: team }));
      break;
    case 'closed':
      break;
  }

  if (stage !== 'closed') out.push(...recoveryDeadlines(c, team), ...partnerDeadlines(c, team, supervisors));

  if (c.handoff) {
    const h = c.handoff;
    const both = [h.fromTeam, h.toTeam];
    out.push(deadline('handoff-reminder', h.requestedAt + p.handoff.reminderHours * HOUR, { notice: { audience: 'team', teams: [h.toTeam] } }));
    out.push(
      deadline('handoff-overdue', h.requestedAt + p.handoff.escalationHours * HOUR, {
        flag: 'handoff-overdue',
        notice: { audience: 'supervisors', teams: both },
      }),
    );
  }
  return out.sort((a, b) => a.at - b.at);
}

/** The plan's reviews (a reminder ahead, a flag when one is missed), the safety marker's review, and the yearly review. */
function recoveryDeadlines(c: PathwayContext, team: Notice): Deadline[] {
  const reminderDays = c.policy.recovery?.reviewReminderDays ?? 7;
  const out = openGoals(c).flatMap((g) => [
    deadline('review-reminder', g.reviewAt - reminderDays * DAY, { notice: team, about: g.reviewAt }, `-${g.id}`),
    deadline('review-due', g.reviewAt, { flag: 'review-missed', notice: team }, `-${g.id}`),
  ]);
  if (c.safety) out.push(deadline('safety-review', c.safety.reviewAt, { flag: 'safety-review-due', notice: team }));
  const yearly = c.policy.recovery?.yearlyReviewDays;
  if (yearly) out.push(deadline('yearly-review', (c.yearlyReviewedAt ?? c.createdAt) + yearly * DAY, { flag: 'yearly-review-due', notice: team }));
  return out;
}

/** A request to a partner: the team is reminded a day before the agreed answer, supervisors told when it is late. */
function partnerDeadlines(c: PathwayContext, team: Notice, supervisors: Notice): Deadline[] {
  return openRequests(c).flatMap((r) => [
    ...(r.dueAt - DAY > r.requestedAt ? [deadline('partner-reminder', r.dueAt - DAY, { notice: team, about: r.dueAt }, `-${r.id}`)] : []),
    deadline('partner-due', r.dueAt, { flag: 'partner-overdue', notice: supervisors }, `-${r.id}`),
  ]);
}

/** Flags that hold now: passed deadlines plus the ones that follow from the state itself. */
export function flags(stage: Stage, c: PathwayContext): Flag[] {
  const raised = new Set<Flag>();
  for (const d of deadlines(stage, c)) if (d.flag && d.at <= c.now) raised.add(d.flag);
  if (raised.has('stay-limit-exceeded')) raised.delete('stay-limit-near');
  if (c.handoff) raised.add('handoff-pending');
  if (c.stay?.pausedSince != null && stage === 'stay') raised.add('hospital-admitted');
  if (c.stay?.extensionRequest && stage === 'stay') raised.add('extension-requested');
  if (c.followUp && c.followUp.readmissions > 0 && stage === 'followUp') raised.add('readmitted');
  if (c.safety && stage !== 'closed') raised.add('safety-marker');
  return [...raised].sort();
}

/** Deadlines that time passing from `from` to `to` crosses. */
export function crossed(stage: Stage, c: PathwayContext, from: number, to: number): Deadline[] {
  return deadlines(stage, c).filter((d) => d.at > from && d.at <= to);
}

/** The earliest deadline still ahead: when the workflow must next wake up. */
export function nextDeadline(stage: Stage, c: PathwayContext): Deadline | undefined {
  return deadlines(stage, c).find((d) => d.at > c.now);
}
