import { activePeers, check, mayReach, refuse, step, SYSTEM, type PathwayEvent, type PathwaySnapshot, type Refusal, type Stepped } from '../machines';
import { ActRequestSchema, RejectionType, type ActRequest } from './messages';

/**
 * One judgement of an action, shared by the Update's validator and its handler, so the
 * handler applies exactly what the validator accepted: the same parsed request (zod trims
 * and defaults), at the same time, against the same version. Pure: no workflow APIs.
 */
export type Judgement =
  /** Applied before (a retried click): answer, apply nothing. */
  | { verdict: 'repeat'; request: ActRequest }
  /** Apply `ticked` (time passing, if any) and then `event`. */
  | { verdict: 'accept'; request: ActRequest; ticked: Stepped | null; event: PathwayEvent }
  /** `why` is the refusal as data ({ key, params }) for clients to translate; absent for malformed and stale requests. */
  | { verdict: 'reject'; type: RejectionType; message: string; why?: Refusal['why'] };

const refused = (r: Refusal): Judgement => ({ verdict: 'reject', type: RejectionType[r.code], message: r.reason, why: r.why });

/** The time an action is judged and applied at: workflow time, never behind the pathway's own clock. */
export const judgingTime = (snapshot: PathwaySnapshot, workflowNow: number) => Math.max(workflowNow, snapshot.context.now);

/** A request applied before: the version it produced, and who sent it (absent in runs older than that). */
export interface Applied {
  version: number;
  by?: string;
}

/**
 * Judges `raw` against the pathway at `now` (from `judgingTime`); `applied` holds the request
 * ids already applied. Who may reach the pathway is judged first: to anyone outside its scope
 * it answers as an unknown pathway does, before its version or team can show.
 */
export function judge(snapshot: PathwaySnapshot, applied: ReadonlyMap<string, Applied>, raw: unknown, now: number): Judgement {
  const parsed = ActRequestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { verdict: 'reject', type: RejectionType.invalid, message: `${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'malformed'}` };
  }
  const request = parsed.data;
  const { responsibleTeam, handoff } = snapshot.context;
  if (!mayReach(request.actor, 'case.read', { responsibleTeam, handoffTo: handoff?.toTeam, peers: activePeers(snapshot.context) })) {
    return { verdict: 'reject', type: RejectionType.notFound, message: 'no such pathway' };
  }
  const before = applied.get(request.requestId);
  if (before?.by !== undefined && before.by !== request.actor.id) return refused(refuse('request-id-taken'));
  if (before) return { verdict: 'repeat', request };
  // Judge the pathway as of now: a deadline may have just passed.
  const ticked = now > snapshot.context.now ? step(snapshot, { type: 'clock.tick', by: SYSTEM, at: now }) : null;
  const current = ticked?.snapshot ?? snapshot;
  const version = current.context.version;
  if (request.expectedVersion !== version) {
    return {
      verdict: 'reject',
      type: RejectionType.stale,
      message: `the pathway has changed (version ${version}, you saw ${request.expectedVersion}): reload and try again`,
    };
  }
  const event: PathwayEvent = { ...request.command, by: request.actor, at: now };
  const refusal = check(current, event);
  if (refusal) return refused(refusal);
  return { verdict: 'accept', request, ticked, event };
}
