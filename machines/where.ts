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

/** A stage and step as one key (`stay.admitted`): what clients translate a description by. */
export type WhereKey = { [S in Stage]: `${S}.${Extract<Where, { stage: S }>['step']}` }[Stage];
export const whereKeys = stages.flatMap((stage) => steps[stage].map((step) => `${stage}.${step}`)) as WhereKey[];
export const whereKey = (where: Where) => `${where.stage}.${where.step}` as WhereKey;

const described: Record<WhereKey, string> = {
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

/** Where a pathway is, in English words (for logs, the CLI and refusal reasons; the web UI translates `whereKey`). */
export function describeWhere(where: Where): string {
  const text = described[whereKey(where)];
  if (!text) throw new Error(`no description for ${where.stage}.${where.step}`);
  return text;
}

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
