import type { PathwayContext, StayClock } from './context';
import { stayEndsAt, type Deadline, type DeadlineKind, type Notice } from './deadlines';
import { DAY } from './time';

/**
 * What a transition asks the outside world to do. The machine never does I/O: it emits
 * these, and the workflow carries them out as activities or messages to other workflows.
 */
export type Effect = (
  | { type: 'notify'; key: string; kind: DeadlineKind | 'handoff-requested'; dueAt: number; about?: number; notice: Notice }
  /** `lostPlaceAt`: the pathway lost a place at this facility after a hospital hold and keeps its turn. */
  | { type: 'place.request'; facilityId: string; priority?: 'normal' | 'urgent'; lostPlaceAt?: number }
  | { type: 'place.cancel'; facilityId: string }
  | { type: 'place.release'; facilityId: string }
  /**
   * The stay's end moved (a return from hospital, an extension) or the stay paused: the
   * facility's board follows. While paused, `endsAt` is the end as it stood at admission.
   */
  | { type: 'place.update'; facilityId: string; endsAt: number; paused?: { since: number; holdUntil: number } }
) & {
  /**
   * Set on effects of behaviour added while pathways were running: the workflow carries them
   * out only where `patched(patch)` holds, so histories recorded before replay as they ran
   * (docs/architecture.md, rule 10).
   */
  patch?: EffectPatch;
};
/** Patch ids of behaviour that emits effects older pathways did not. */
export type EffectPatch = 'late-stay-reminders' | 'stay-pause-reported';

/** A deadline's notice as an effect. */
export const notifyOf = (d: Deadline): Effect => ({
  type: 'notify',
  key: d.key,
  kind: d.kind,
  dueAt: d.at,
  notice: d.notice!,
  ...(d.about ? { about: d.about } : {}),
});

/** The stay's end for the facility's board; while paused, frozen at the admission, with the hold's end. */
export function stayReport(c: PathwayContext, stay: StayClock): Extract<Effect, { type: 'place.update' }> {
  if (stay.pausedSince === null) return { type: 'place.update', facilityId: stay.facilityId, endsAt: stayEndsAt(stay, c.policy, c.now) };
  const paused = { since: stay.pausedSince, holdUntil: stay.pausedSince + c.policy.stay.hospitalHoldDays * DAY };
  return { type: 'place.update', facilityId: stay.facilityId, endsAt: stayEndsAt(stay, c.policy, stay.pausedSince), paused };
}
