import { describeWhere, type Where } from './where';

/**
 * Every reason the engine gives for refusing an event, as data: a stable key, the values it
 * names, and an English rendering for logs and the CLI. Clients translate the key with its
 * params and never read the English text, so a reworded reason breaks nobody.
 */

type Kind = 'string' | 'number';
type ValuesOf<S extends Record<string, Kind>> = { [K in keyof S]: S[K] extends 'number' ? number : string };

function entry<const S extends Record<string, Kind>>(code: 'forbidden' | 'conflict', params: S, en: (p: ValuesOf<S>) => string) {
  return { code, params, en };
}

const none = {} as const;

const catalogue = {
  'engine-only': entry('forbidden', { event: 'string' }, (p) => `${p.event} is sent by the engine, not by a person`),
  'not-responsible-team': entry('forbidden', { team: 'string' }, (p) => `only the responsible team (${p.team}) may do this`),
  'not-receiving-team': entry('forbidden', { team: 'string' }, (p) => `only the receiving team (${p.team}) may answer this handoff`),
  'supervisor-required': entry('forbidden', { team: 'string' }, (p) => `only a supervisor of ${p.team} may do this`),
  'four-eyes': entry('forbidden', { requestedBy: 'string' }, (p) => `${p.requestedBy} asked for this extension: another supervisor decides it`),
  'request-id-taken': entry('conflict', none, () => 'this request id was used by someone else: send a new one'),
  'self-assign-only': entry('forbidden', none, () => 'a coordinator may only assign the pathway to themselves'),
  'no-handoff-pending': entry('conflict', none, () => 'no handoff is pending'),
  'consent-required': entry('conflict', none, () => 'the citizen has not consented to sharing information with the region'),
  'discharge-planning-started': entry('conflict', none, () => 'discharge planning has already started'),
  'extension-pending': entry('conflict', none, () => 'an extension request is already waiting for a supervisor'),
  'extension-maximum-reached': entry(
    'conflict',
    { maxDays: 'number' },
    (p) => `the stay has already been extended by the policy maximum of ${p.maxDays} days`,
  ),
  'extension-too-long': entry('conflict', { daysLeft: 'number' }, (p) => `at most ${p.daysLeft} more days may be added to this stay`),
  'no-extension-requested': entry('conflict', none, () => 'no extension has been requested'),
  'already-coordinator': entry('conflict', { coordinator: 'string' }, (p) => `${p.coordinator} is already the coordinator`),
  'answer-handoff-first': entry('conflict', none, () => 'answer or cancel the pending handoff first'),
  'already-responsible': entry('conflict', { team: 'string' }, (p) => `${p.team} is already responsible`),
  'time-backwards': entry('conflict', none, () => 'time does not run backwards'),
  'contact-time-invalid': entry('conflict', { days: 'number' }, (p) => `a contact is dated at most ${p.days} days back, and never ahead`),
  'review-date-invalid': entry('conflict', { days: 'number' }, (p) => `a review is agreed for a day ahead, at most ${p.days} days ahead`),
  'unknown-goal': entry('conflict', { goalId: 'string' }, (p) => `the plan has no goal ${p.goalId}`),
  'goal-closed': entry('conflict', { goalId: 'string' }, (p) => `goal ${p.goalId} is closed`),
  'too-many-goals': entry('conflict', { max: 'number' }, (p) => `a plan holds at most ${p.max} open goals: close one first`),
  'no-safety-marker': entry('conflict', none, () => 'no safety marker is set'),
  'admission-days-invalid': entry('conflict', none, () => 'no admissions cannot have admission days'),
  'admission-date-invalid': entry('conflict', none, () => 'an admission during the pathway is dated between its start and now'),
  'consent-recipient-invalid': entry('conflict', { scope: 'string' }, (p) => `consent for ${p.scope} ${p.scope === 'region' ? 'names no recipient' : 'names its recipient'}`),
  'unknown-contact': entry('conflict', { contactId: 'string' }, (p) => `the network has no contact ${p.contactId}`),
  'too-many-contacts': entry('conflict', { max: 'number' }, (p) => `a network holds at most ${p.max} contacts`),
  'consent-required-for': entry('conflict', { scope: 'string' }, (p) => `the citizen has not consented to sharing with this ${p.scope}`),
  'already-attached': entry('conflict', { peer: 'string' }, (p) => `${p.peer} is already attached`),
  'not-attached': entry('conflict', { peer: 'string' }, (p) => `${p.peer} is not attached`),
  'too-many-peers': entry('conflict', { max: 'number' }, (p) => `at most ${p.max} peer workers are attached to a pathway`),
  'too-many-requests': entry('conflict', { max: 'number' }, (p) => `at most ${p.max} requests to partners are open at once`),
  'unknown-request': entry('conflict', { requestId: 'string' }, (p) => `the pathway has no partner request ${p.requestId}`),
  'request-closed': entry('conflict', { requestId: 'string' }, (p) => `partner request ${p.requestId} is already answered or withdrawn`),
  'not-on-waitlist': entry('conflict', none, () => 'the pathway is on no waitlist'),
  'waiting-elsewhere': entry(
    'conflict',
    { waitingFor: 'string', granted: 'string' },
    (p) => `the pathway waits for a place at ${p.waitingFor}, not ${p.granted}`,
  ),
  'not-possible-in-stage': entry(
    'conflict',
    { event: 'string', stage: 'string', step: 'string' },
    (p) => `${p.event} is not possible while the pathway is ${describeWhere({ stage: p.stage, step: p.step } as Where)}`,
  ),
  'not-possible-now': entry('conflict', { event: 'string' }, (p) => `${p.event} is not possible now`),
};

export type RefusalKey = keyof typeof catalogue;
export const refusalKeys = Object.keys(catalogue) as RefusalKey[];
export type RefusalParams<K extends RefusalKey> = ValuesOf<(typeof catalogue)[K]['params']>;

/** The names and kinds of the values a refusal carries, so a client can check its translations cover them. */
export const refusalParams = (key: RefusalKey): Readonly<Record<string, Kind>> => catalogue[key].params;

/** Why an event is refused, as a client translates it: keys without values carry no params. */
export type RefusalWhy = {
  [K in RefusalKey]: keyof RefusalParams<K> extends never ? { key: K } : { key: K; params: RefusalParams<K> };
}[RefusalKey];

export interface Refusal {
  code: 'forbidden' | 'conflict';
  why: RefusalWhy;
  /** English, for logs and the CLI; clients translate `why` instead. */
  reason: string;
}

/** `why` in English. */
export function renderRefusal(why: RefusalWhy): string {
  const en = catalogue[why.key].en as (p: Record<string, string | number>) => string;
  return en('params' in why ? why.params : {});
}

type ParamsArg<K extends RefusalKey> = keyof RefusalParams<K> extends never ? [] : [params: RefusalParams<K>];

/** The refusal `key` with its values: the code follows from the key. */
export function refuse<K extends RefusalKey>(key: K, ...[params]: ParamsArg<K>): Refusal {
  const why = (params === undefined ? { key } : { key, params }) as RefusalWhy;
  return { code: catalogue[key].code, why, reason: renderRefusal(why) };
}
