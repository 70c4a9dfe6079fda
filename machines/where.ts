import type { StateValue } from 'xstate';

/** Where a pathway is: its stage and, within the stage, what it is doing. */
export type Where =
  | { stage: 'outreach'; step: 'working' | 'handingOff' }
  | { stage: 'assessment'; step: 'working' | 'handingOff' }
  | { stage: 'waiting'; step: 'waiting' }
  | { stage: 'stay'; step: 'present' | 'admitted' | 'handingOff' }
  | { stage: 'followUp'; step: 'followUp' }
  | { stage: 'closed'; step: 'closed' };

export type Stage = Where['stage'];
export const stages: readonly Stage[] = ['outreach', 'assessment', 'waiting', 'stay', 'followUp', 'closed'];

const steps: { [S in Stage]: readonly Extract<Where, { stage: S }>['step'][] } = {
  outreach: ['working', 'handingOff'],
  assessment: ['working', 'handingOff'],
  waiting: ['waiting'],
  stay: ['present', 'admitted', 'handingOff'],
  followUp: ['followUp'],
  closed: ['closed'],
};

/** Maps a machine state value to `Where`, failing loudly on a state the view does not know. */
export function whereOf(value: StateValue): Where {
  if (typeof value === 'string') {
    if (value === 'waiting' || value === 'followUp' || value === 'closed') return { stage: value, step: value } as Where;
  } else {
    const [stage, step] = Object.entries(value)[0] ?? [];
    if (stage && typeof step === 'string' && (steps as Record<string, readonly string[]>)[stage]?.includes(step)) {
      return { stage, step } as Where;
    }
  }
  throw new Error(`unmapped pathway state ${JSON.stringify(value)}`);
}
