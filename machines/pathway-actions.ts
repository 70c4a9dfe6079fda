import { assign, enqueueActions, setup } from 'xstate';
import { auditCountOf, ENGINE, entryOf, withEntry } from './audit-trail';
import type { HandoffTarget, PathwayContext } from './context';
import { crossed, lateStayReminders } from './deadlines';
import { notifyOf, stayReport, type Effect } from './effects';
import type { ClosureReason, PathwayEvent } from './events';
import type { PathwayInput } from './pathway-machine';
import type { Policy } from './policy';
import { circleStep, isCircleEvent } from './circle';
import { isRecoveryEvent, recoveryStep } from './recovery';
import { refusalOf } from './rules';
import { extended, newStay, resumed } from './stay-clock';
import { DAY } from './time';
import type { Stage } from './where';

const teamFor: Record<HandoffTarget, keyof Policy['teams']> = {
  assessment: 'assessment',
  waiting: 'carePlace',
  followUp: 'housing',
};

/**
 * What the pathway machine's transitions do (its guards and actions); which stage accepts which
 * event is in pathway-machine.ts.
 */
export const pathwaySetup = setup({
  types: {
    context: {} as PathwayContext,
    events: {} as PathwayEvent,
    input: {} as PathwayInput,
    emitted: {} as Effect,
  },
  guards: {
    /** Role, team, preconditions and payload: see rules.ts. */
    permitted: ({ context, event }) => refusalOf(context, event) === undefined,
    /** The citizen has been in hospital longer than the place may be held. */
    holdExpired: ({ context, event }) =>
      context.stay?.pausedSince != null && event.at >= context.stay.pausedSince + context.policy.stay.hospitalHoldDays * DAY,
    outcome: ({ event }, params: { is: string }) =>
      (event.type === 'assessment.outcome' || event.type === 'followUp.complete') && event.outcome === params.is,
  },
  actions: {
    /** Every accepted command: bump the version, advance time, write the audit trail. */
    record: assign(({ context, event }) => ({
      version: context.version + 1,
      now: Math.max(context.now, event.at),
      ...withEntry(context, entryOf(event, context.version + 1)),
    })),
    /** Time passed: announce every deadline it crossed, once, and note raised flags. */
    passTime: enqueueActions(({ context, event, enqueue }, params: { stage: Stage }) => {
      const passed = crossed(params.stage, context, context.now, event.at);
      let trail: Pick<PathwayContext, 'audit' | 'auditCount'> = { audit: context.audit, auditCount: auditCountOf(context) };
      for (const d of passed) {
        if (d.notice) enqueue.emit(notifyOf(d));
        if (d.flag) trail = withEntry(trail, { at: d.at, by: ENGINE, type: 'deadline.passed', details: { kind: d.kind, flag: d.flag } });
      }
      enqueue.assign({ now: event.at, ...trail });
    }),
    requestHandoff: enqueueActions(({ context, event, enqueue }, params: { target: HandoffTarget }) => {
      const named = 'toTeam' in event ? event.toTeam : undefined;
      const toTeam = named ?? context.policy.teams[teamFor[params.target]];
      enqueue.assign({
        handoff: { fromTeam: context.responsibleTeam, toTeam, target: params.target, requestedAt: event.at, requestedBy: event.by.id },
      });
      enqueue.emit({
        type: 'notify',
        key: `handoff-requested@${new Date(event.at).toISOString()}`,
        kind: 'handoff-requested',
        dueAt: event.at,
        notice: { audience: 'team', teams: [toTeam] },
      });
    }),
    acceptHandoff: assign(({ context, event }) => ({
      responsibleTeam: context.handoff?.toTeam ?? context.responsibleTeam,
      coordinator: event.by.role === 'coordinator' ? event.by.id : null,
      handoff: null,
      stageEnteredAt: event.at,
    })),
    dropHandoff: assign({ handoff: null }),
    /** Only reaching the citizen counts: attempts alone must not hide a lost contact. A contact dated back never hides a later one. */
    logContact: assign(({ context, event }) => ({
      lastContactAt:
        event.type === 'contact.log' && event.outcome === 'reached' ? Math.max(context.lastContactAt ?? 0, event.contactedAt ?? event.at) : context.lastContactAt,
    })),
    /** Consent to share with the region; other scopes are the circle's. */
    recordConsent: assign(({ event }) =>
      event.type === 'consent.record' && (event.scope ?? 'region') === 'region' ? { consent: { given: event.given, at: event.at, by: event.by.id } } : {},
    ),
    /** Network, scoped consent, peer workers, partner requests: machines/circle.ts. */
    circle: assign(({ context, event }) => (isCircleEvent(event) ? circleStep(context, event) : {})),
    joinWaitlist: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'waitlist.join') return;
      if (context.facilityId && context.facilityId !== event.facilityId) {
        enqueue.emit({ type: 'place.cancel', facilityId: context.facilityId });
      }
      enqueue.assign({ facilityId: event.facilityId });
      // Back at the facility where a hospital hold cost the place: the citizen keeps their turn.
      const lost = context.lostPlace?.facilityId === event.facilityId && event.priority !== 'urgent' ? context.lostPlace.at : undefined;
      enqueue.emit({
        type: 'place.request',
        facilityId: event.facilityId,
        ...(event.priority ? { priority: event.priority } : {}),
        ...(lost !== undefined ? { lostPlaceAt: lost } : {}),
      });
    }),
    startStay: assign(({ event }) => {
      if (event.type !== 'place.grant') return {};
      return {
        lostPlace: undefined,
        facilityId: event.facilityId,
        stageEnteredAt: event.at,
        stay: newStay(event.facilityId, event.at),
      };
    }),
    pauseStay: assign(({ context, event }) => (context.stay ? { stay: { ...context.stay, pausedSince: event.at } } : {})),
    /** The clock runs again, later by the time in hospital; a reminder that moves into the past goes out now. */
    resumeStay: enqueueActions(({ context, event, enqueue }) => {
      const stay = context.stay;
      if (!stay || stay.pausedSince === null) return;
      const next = resumed({ ...stay, pausedSince: stay.pausedSince }, event.at);
      enqueue.assign({ stay: next });
      for (const d of lateStayReminders(context, next)) enqueue.emit({ ...notifyOf(d), patch: 'late-stay-reminders' });
    }),
    /** Tells the facility the stay's current end (after the assign that moved it). */
    reportStayEnd: enqueueActions(({ context, enqueue }) => {
      if (context.stay) enqueue.emit(stayReport(context, context.stay));
    }),
    /** Tells the facility the stay paused, so its board moves the end on while the citizen is in hospital. */
    reportPause: enqueueActions(({ context, enqueue }) => {
      if (context.stay) enqueue.emit({ ...stayReport(context, context.stay), patch: 'stay-pause-reported' });
    }),
    /** The hold on the place ran out during a hospital stay: give the place back, wait for a new one. */
    releaseHeldPlace: enqueueActions(({ context, event, enqueue }) => {
      const stay = context.stay;
      if (!stay || stay.pausedSince === null) return;
      const at = stay.pausedSince + context.policy.stay.hospitalHoldDays * DAY;
      enqueue.emit({ type: 'place.release', facilityId: stay.facilityId });
      enqueue.assign({
        version: context.version + 1,
        stay: null,
        facilityId: null,
        // Absent in pathways older than the policy field: the default (keep the turn) holds.
        lostPlace: context.policy.stay.keepTurnAfterHold === false ? undefined : { facilityId: stay.facilityId, at },
        stageEnteredAt: at,
        ...withEntry(context, {
          at: event.at,
          by: ENGINE,
          type: 'place.released',
          details: { facilityId: stay.facilityId, reason: 'hospital hold expired' },
          version: context.version + 1,
        }),
      });
    }),
    startDischargePlanning: assign(({ context, event }) =>
      context.stay ? { stay: { ...context.stay, dischargePlanningStartedAt: event.at } } : {},
    ),
    requestExtension: assign(({ context, event }) =>
      context.stay && event.type === 'extension.request'
        ? { stay: { ...context.stay, extensionRequest: { days: event.days, reason: event.reason, requestedAt: event.at, requestedBy: event.by.id } } }
        : {},
    ),
    /** The limit moves out; a reminder that the move puts on a closed day already past goes out now. */
    approveExtension: enqueueActions(({ context, event, enqueue }) => {
      const stay = context.stay;
      if (!stay?.extensionRequest || event.type !== 'extension.approve') return;
      const next = extended({ ...stay, extensionRequest: stay.extensionRequest }, event.days);
      enqueue.assign({ stay: next });
      for (const d of lateStayReminders(context, next)) enqueue.emit({ ...notifyOf(d), patch: 'late-stay-reminders' });
    }),
    declineExtension: assign(({ context }) => (context.stay ? { stay: { ...context.stay, extensionRequest: null } } : {})),
    /** Leaving the stay: the place goes back to the facility. */
    releasePlace: enqueueActions(({ context, enqueue }) => {
      if (context.stay) enqueue.emit({ type: 'place.release', facilityId: context.stay.facilityId });
    }),
    /** Leaving the waitlist without a place. */
    cancelPlace: enqueueActions(({ context, enqueue }) => {
      if (context.facilityId) enqueue.emit({ type: 'place.cancel', facilityId: context.facilityId });
    }),
    startFollowUp: assign(({ event }) => ({ followUp: { startedAt: event.at, readmissions: 0 } })),
    recordReadmission: assign(({ context }) =>
      context.followUp ? { followUp: { ...context.followUp, readmissions: context.followUp.readmissions + 1 } } : {},
    ),
    /** The recovery plan, the safety marker, admissions: machines/recovery.ts. */
    recover: assign(({ context, event }) => (isRecoveryEvent(event) ? recoveryStep(context, event) : {})),
    assignCoordinator: assign(({ event }) => (event.type === 'coordinator.assign' ? { coordinator: event.coordinator } : {})),
    reassign: assign(({ event }) => (event.type === 'pathway.reassign' ? { responsibleTeam: event.toTeam, coordinator: null } : {})),
    recordUndeliverable: assign(({ context, event }) =>
      event.type === 'notice.undeliverable'
        ? { now: Math.max(context.now, event.at), ...withEntry(context, { at: event.at, by: ENGINE, type: event.type, details: { kind: event.kind, key: event.key } }) }
        : {},
    ),
    close: assign(({ event }, params: { reason?: ClosureReason }) => {
      const reason = params.reason ?? (event.type === 'pathway.close' ? event.reason : 'other');
      const note = event.type === 'pathway.close' ? event.note : undefined;
      return { handoff: null, closure: { reason, at: event.at, by: event.by.id, ...(note ? { note } : {}) } };
    }),
  },
});
