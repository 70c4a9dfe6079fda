import { and, type StateFrom } from 'xstate';
import { withEntry } from './audit-trail';
import type { Actor } from './events';
import { pathwaySetup } from './pathway-actions';
import type { Policy } from './policy';
import type { Stage } from './where';

export interface PathwayInput {
  pathwayId: string;
  citizenRef: string;
  /** Absent where none was entered (and in pathways older than names). */
  citizenName?: string;
  team: string;
  coordinator?: string | null;
  policy: Policy;
  at: number;
  by: Actor;
}

export type { Effect, EffectPatch } from './effects';
export { AUDIT_TAIL, auditCountOf } from './audit-trail';

const recover = { guard: 'permitted', actions: ['record', 'recover'] } as const;
const circle = { guard: 'permitted', actions: ['record', 'circle'] } as const;

/** What every open stage accepts: the passing of time, assignment, reassignment, notes, the citizen's plan and circle. */
function inEveryStage(stage: Stage) {
  return {
    'clock.tick': { guard: 'permitted', actions: { type: 'passTime', params: { stage } } },
    'coordinator.assign': { guard: 'permitted', actions: ['record', 'assignCoordinator'] },
    'pathway.reassign': { guard: 'permitted', actions: ['record', 'reassign'] },
    'note.add': { guard: 'permitted', actions: 'record' },
    'goal.add': recover,
    'goal.review': recover,
    'goal.close': recover,
    'review.yearly': recover,
    'safety.set': recover,
    'safety.clear': recover,
    'admissions.before': recover,
    'admission.record': recover,
    'consent.record': { guard: 'permitted', actions: ['record', 'recordConsent', 'circle'] },
    'network.add': circle,
    'network.remove': circle,
    'peer.attach': circle,
    'peer.detach': circle,
    'partner.request': circle,
    'partner.answer': circle,
    'partner.withdraw': circle,
  } as const;
}

export const pathwayMachine = pathwaySetup.createMachine({
  id: 'pathway',
  context: ({ input }) => ({
    pathwayId: input.pathwayId,
    citizenRef: input.citizenRef,
    ...(input.citizenName ? { citizenName: input.citizenName } : {}),
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
