import { and, assign, enqueueActions, setup, type StateFrom } from 'xstate';
import type { AuditEntry, HandoffTarget, PathwayContext } from './context';
import { crossed, lateStayReminders } from './deadlines';
import { notifyOf, stayReport, type Effect } from './effects';
import { DAY } from './time';
import type { Actor, ClosureReason, PathwayEvent } from './events';
import type { Policy } from './policy';
import { refusalOf } from './rules';
import type { Stage } from './where';

export interface PathwayInput {
  pathwayId: string;
  citizenRef: string;
  team: string;
  coordinator?: string | null;
  policy: Policy;
  at: number;
  by: Actor;
}

export type { Effect, EffectPatch } from './effects';

/**
 * How many of the newest audit entries the pathway keeps: the whole trail lives in the record
 * store (written by the workflow, workflows/records-lane.ts), so a run's state stays small.
 */
export const AUDIT_TAIL = 20;

/** Entries written so far; pathways from before the count kept every entry. */
export const auditCountOf = (c: Pick<PathwayContext, 'audit' | 'auditCount'>) => c.auditCount ?? c.audit.length;

/** The audit trail with one more entry, numbered: the bounded tail and the count. */
function withEntry(c: Pick<PathwayContext, 'audit' | 'auditCount'>, entry: Omit<AuditEntry, 'seq'>): Pick<PathwayContext, 'audit' | 'auditCount'> {
  const auditCount = auditCountOf(c) + 1;
  return { audit: [...c.audit, { seq: auditCount, ...entry }].slice(-AUDIT_TAIL), auditCount };
}
const ENGINE = { id: 'system', role: 'system' } as const;

/** An accepted command as an audit entry: who, when, what, and its fields. */
function entryOf(e: PathwayEvent, version: number): Omit<AuditEntry, 'seq'> {
  const { type, by, at, ...details } = e;
  return { at, by: { id: by.id, role: by.role }, type, ...(Object.keys(details).length > 0 ? { details } : {}), version };
}

const teamFor: Record<HandoffTarget, keyof Policy['teams']> = {
  assessment: 'assessment',
  waiting: 'carePlace',
  followUp: 'housing',
};

/** What every open stage accepts: the passing of time, assignment, reassignment and notes. */
function inEveryStage(stage: Stage) {
  return {
    'clock.tick': { guard: 'permitted', actions: { type: 'passTime', params: { stage } } },
    'coordinator.assign': { guard: 'permitted', actions: ['record', 'assignCoordinator'] },
    'pathway.reassign': { guard: 'permitted', actions: ['record', 'reassign'] },
    'note.add': { guard: 'permitted', actions: 'record' },
  } as const;
}

export const pathwayMachine = setup({
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
    /** Only reaching the citizen counts: attempts alone must not hide a lost contact. */
    logContact: assign(({ context, event }) => ({
      lastContactAt: event.type === 'contact.log' && event.outcome === 'reached' ? event.at : context.lastContactAt,
    })),
    recordConsent: assign(({ event }) =>
      event.type === 'consent.record' ? { consent: { given: event.given, at: event.at, by: event.by.id } } : {},
    ),
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
        stay: {
          facilityId: event.facilityId,
          startedAt: event.at,
          extendedDays: 0,
          pausedMs: 0,
          pausedSince: null,
          dischargePlanningStartedAt: null,
          extensionRequest: null,
        },
      };
    }),
    pauseStay: assign(({ context, event }) => (context.stay ? { stay: { ...context.stay, pausedSince: event.at } } : {})),
    /** The clock runs again, later by the time in hospital; a reminder that moves into the past goes out now. */
    resumeStay: enqueueActions(({ context, event, enqueue }) => {
      const stay = context.stay;
      if (!stay || stay.pausedSince === null) return;
      const next = { ...stay, pausedMs: stay.pausedMs + (event.at - stay.pausedSince), pausedSince: null };
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
      const next = { ...stay, extendedDays: stay.extendedDays + (event.days ?? stay.extensionRequest.days), extensionRequest: null };
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
}).createMachine({
  id: 'pathway',
  context: ({ input }) => ({
    pathwayId: input.pathwayId,
    citizenRef: input.citizenRef,
    policy: input.policy,
    version: 1,
    now: input.at,
    createdAt: input.at,
    responsibleTeam: input.team,
    coordinator: input.coordinator ?? null,
    stageEnteredAt: input.at,
    lastContactAt: null,
    consent: null,
    handoff: null,
    facilityId: null,
    stay: null,
    followUp: null,
    closure: null,
    ...withEntry({ audit: [] }, { at: input.at, by: { id: input.by.id, role: input.by.role }, type: 'pathway.start', details: { team: input.team }, version: 1 }),
  }),
  initial: 'outreach',
  states: {
    outreach: {
      initial: 'working',
      on: {
        ...inEveryStage('outreach'),
        'contact.log': { guard: 'permitted', actions: ['record', 'logContact'] },
        'consent.record': { guard: 'permitted', actions: ['record', 'recordConsent'] },
        'pathway.close': { guard: 'permitted', target: 'closed', actions: ['record', { type: 'close', params: {} }] },
      },
      states: {
        working: {
          on: {
            'referral.request': {
              guard: 'permitted',
              target: 'handingOff',
              actions: ['record', { type: 'requestHandoff', params: { target: 'assessment' } }],
            },
          },
        },
        handingOff: {
          on: {
            'handoff.accept': { guard: 'permitted', target: '#pathway.assessment', actions: ['record', 'acceptHandoff'] },
            'handoff.reject': { guard: 'permitted', target: 'working', actions: ['record', 'dropHandoff'] },
            'handoff.cancel': { guard: 'permitted', target: 'working', actions: ['record', 'dropHandoff'] },
          },
        },
      },
    },
    assessment: {
      initial: 'working',
      on: {
        ...inEveryStage('assessment'),
        'pathway.close': { guard: 'permitted', target: 'closed', actions: ['record', { type: 'close', params: {} }] },
      },
      states: {
        working: {
          on: {
            'assessment.outcome': [
              {
                guard: and(['permitted', { type: 'outcome', params: { is: 'care-place' } }]),
                target: 'handingOff',
                actions: ['record', { type: 'requestHandoff', params: { target: 'waiting' } }],
              },
              {
                guard: and(['permitted', { type: 'outcome', params: { is: 'other-offer' } }]),
                target: '#pathway.closed',
                actions: ['record', { type: 'close', params: { reason: 'other-offer' } }],
              },
              {
                guard: and(['permitted', { type: 'outcome', params: { is: 'no-need' } }]),
                target: '#pathway.closed',
                actions: ['record', { type: 'close', params: { reason: 'no-need' } }],
              },
            ],
          },
        },
        handingOff: {
          on: {
            'handoff.accept': { guard: 'permitted', target: '#pathway.waiting', actions: ['record', 'acceptHandoff'] },
            'handoff.reject': { guard: 'permitted', target: 'working', actions: ['record', 'dropHandoff'] },
            'handoff.cancel': { guard: 'permitted', target: 'working', actions: ['record', 'dropHandoff'] },
          },
        },
      },
    },
    waiting: {
      on: {
        ...inEveryStage('waiting'),
        'waitlist.join': { guard: 'permitted', actions: ['record', 'joinWaitlist'] },
        'place.grant': { guard: 'permitted', target: 'stay', actions: ['record', 'startStay'] },
        'pathway.close': { guard: 'permitted', target: 'closed', actions: ['record', 'cancelPlace', { type: 'close', params: {} }] },
      },
    },
    stay: {
      initial: 'present',
      on: {
        ...inEveryStage('stay'),
        'dischargePlanning.start': { guard: 'permitted', actions: ['record', 'startDischargePlanning'] },
        'extension.request': { guard: 'permitted', actions: ['record', 'requestExtension'] },
        'extension.approve': { guard: 'permitted', actions: ['record', 'approveExtension', 'reportStayEnd'] },
        'extension.decline': { guard: 'permitted', actions: ['record', 'declineExtension'] },
        'pathway.close': { guard: 'permitted', target: 'closed', actions: ['record', 'releasePlace', { type: 'close', params: {} }] },
      },
      states: {
        present: {
          on: {
            'hospital.admit': { guard: 'permitted', target: 'admitted', actions: ['record', 'pauseStay', 'reportPause'] },
            'discharge.request': {
              guard: 'permitted',
              target: 'handingOff',
              actions: ['record', { type: 'requestHandoff', params: { target: 'followUp' } }],
            },
          },
        },
        admitted: {
          on: {
            'hospital.return': { guard: 'permitted', target: 'present', actions: ['record', 'resumeStay', 'reportStayEnd'] },
            'clock.tick': {
              guard: and(['permitted', 'holdExpired']),
              target: '#pathway.waiting',
              actions: [{ type: 'passTime', params: { stage: 'stay' } }, 'releaseHeldPlace'],
            },
          },
        },
        handingOff: {
          on: {
            'handoff.accept': {
              guard: 'permitted',
              target: '#pathway.followUp',
              actions: ['record', 'releasePlace', 'acceptHandoff', 'startFollowUp'],
            },
            'handoff.reject': { guard: 'permitted', target: 'present', actions: ['record', 'dropHandoff'] },
            'handoff.cancel': { guard: 'permitted', target: 'present', actions: ['record', 'dropHandoff'] },
          },
        },
      },
    },
    followUp: {
      on: {
        ...inEveryStage('followUp'),
        'readmission.record': { guard: 'permitted', actions: ['record', 'recordReadmission'] },
        'followUp.complete': [
          {
            guard: and(['permitted', { type: 'outcome', params: { is: 'stable' } }]),
            target: 'closed',
            actions: ['record', { type: 'close', params: { reason: 'housed-stable' } }],
          },
          {
            guard: and(['permitted', { type: 'outcome', params: { is: 'readmitted' } }]),
            target: 'closed',
            actions: ['record', { type: 'close', params: { reason: 'readmitted' } }],
          },
        ],
        'pathway.close': { guard: 'permitted', target: 'closed', actions: ['record', { type: 'close', params: {} }] },
      },
    },
    closed: {
      type: 'final',
      // The engine records a notice it gave up on after closure (pure transitions still take events here).
      on: { 'notice.undeliverable': { guard: 'permitted', actions: 'recordUndeliverable' } },
    },
  },
});

export type PathwayMachine = typeof pathwayMachine;
export type PathwaySnapshot = StateFrom<PathwayMachine>;
