import { refusalKeys, type RefusalKey, type RefusalWhy, type WhereKey } from '../../../machines';

/**
 * What the engine and the API say to a person, in their language: refusals by key and params,
 * where a pathway is, and the API's error codes. Pure, so it is tested without a browser. The
 * English texts the server sends are never read; only keys and params are.
 */

export type Lang = 'da' | 'en';
type Params = Record<string, string | number>;

/** How each language writes dates and numbers. */
export const locales: Record<Lang, string> = { da: 'da-DK', en: 'en-GB' };

/** Whole days from `now` to `at` as the reader says them: "i morgen", "om 3 dage", "for 5 dage siden". */
export const relativeDays = (lang: Lang, at: number, now: number) =>
  new Intl.RelativeTimeFormat(locales[lang], { numeric: 'auto' }).format(Math.round((at - now) / 86_400_000), 'day');

/** A number as the reader writes it, to one decimal: "4,5" in Danish, "1.234,5" for thousands. */
export const numberText = (lang: Lang, v: number) => v.toLocaleString(locales[lang], { maximumFractionDigits: 1 });

const refusals: Record<Lang, Record<RefusalKey, string>> = {
  da: {
    'engine-only': '„{event}“ sendes af systemet, ikke af en medarbejder',
    'not-responsible-team': 'Kun det ansvarlige team ({team}) må gøre dette',
    'not-receiving-team': 'Kun det modtagende team ({team}) kan svare på overdragelsen',
    'supervisor-required': 'Kun en leder i {team} må gøre dette',
    'four-eyes': '{requestedBy} har bedt om forlængelsen, så en anden leder skal tage stilling til den',
    'request-id-taken': 'Anmodningen blev ikke sendt. Prøv igen',
    'self-assign-only': 'En koordinator kan kun sætte sig selv som koordinator',
    'no-handoff-pending': 'Der venter ingen overdragelse',
    'consent-required': 'Borgeren har ikke givet samtykke til at dele oplysninger med regionen',
    'discharge-planning-started': 'Udskrivningsplanlægningen er allerede startet',
    'extension-pending': 'En anmodning om forlængelse venter allerede på en leder',
    'extension-maximum-reached': 'Opholdet er allerede forlænget med det højst tilladte antal dage ({maxDays})',
    'extension-too-long': 'Opholdet kan højst forlænges med {daysLeft} dage mere',
    'no-extension-requested': 'Der er ikke anmodet om forlængelse',
    'already-coordinator': '{coordinator} er allerede koordinator',
    'answer-handoff-first': 'Besvar eller tilbagekald først den ventende overdragelse',
    'already-responsible': '{team} er allerede ansvarligt',
    'time-backwards': 'Tiden kan ikke gå baglæns',
    'contact-time-invalid': 'En kontakt kan højst dateres {days} dage tilbage og aldrig frem',
    'review-date-invalid': 'En opfølgning aftales til en dag frem i tiden, højst {days} dage frem',
    'unknown-goal': 'Planen har ikke målet {goalId}',
    'goal-closed': 'Målet {goalId} er afsluttet',
    'too-many-goals': 'En plan har højst {max} åbne mål. Afslut et først',
    'no-safety-marker': 'Der er ingen sikkerhedsmarkering',
    'admission-days-invalid': 'Ingen indlæggelser kan ikke have indlæggelsesdage',
    'admission-date-invalid': 'En indlæggelse under forløbet dateres mellem forløbets start og nu',
    'consent-recipient-invalid': 'Samtykke til deling med {scope} skal angive en modtager, undtagen for regionen',
    'unknown-contact': 'Netværket har ikke kontakten {contactId}',
    'too-many-contacts': 'Et netværk har højst {max} kontakter',
    'consent-required-for': 'Borgeren har ikke givet samtykke til at dele med denne {scope}',
    'already-attached': '{peer} er allerede tilknyttet',
    'not-attached': '{peer} er ikke tilknyttet',
    'too-many-peers': 'Der kan højst være {max} peermedarbejdere på et forløb',
    'too-many-requests': 'Der kan højst være {max} åbne henvendelser til samarbejdspartnere',
    'unknown-request': 'Forløbet har ikke henvendelsen {requestId}',
    'request-closed': 'Henvendelsen {requestId} er allerede besvaret eller trukket tilbage',
    'not-on-waitlist': 'Forløbet står ikke på nogen venteliste',
    'waiting-elsewhere': 'Forløbet venter på en plads på {waitingFor}, ikke {granted}',
    'not-possible-in-stage': '„{event}“ er ikke muligt, mens forløbet er {where}',
    'not-possible-now': '„{event}“ er ikke muligt lige nu',
  },
  en: {
    'engine-only': '“{event}” is sent by the engine, not by a person',
    'not-responsible-team': 'Only the responsible team ({team}) may do this',
    'not-receiving-team': 'Only the receiving team ({team}) may answer this handoff',
    'supervisor-required': 'Only a supervisor of {team} may do this',
    'four-eyes': '{requestedBy} asked for this extension, so another supervisor must decide it',
    'request-id-taken': 'The request was not sent. Try again',
    'self-assign-only': 'A coordinator may only assign the pathway to themselves',
    'no-handoff-pending': 'No handoff is pending',
    'consent-required': 'The citizen has not consented to sharing information with the region',
    'discharge-planning-started': 'Discharge planning has already started',
    'extension-pending': 'An extension request is already waiting for a supervisor',
    'extension-maximum-reached': 'The stay has already been extended by the policy maximum of {maxDays} days',
    'extension-too-long': 'At most {daysLeft} more days may be added to this stay',
    'no-extension-requested': 'No extension has been requested',
    'already-coordinator': '{coordinator} is already the coordinator',
    'answer-handoff-first': 'Answer or cancel the pending handoff first',
    'already-responsible': '{team} is already responsible',
    'time-backwards': 'Time does not run backwards',
    'contact-time-invalid': 'A contact can be dated at most {days} days back, and never ahead',
    'review-date-invalid': 'A review is agreed for a day ahead, at most {days} days ahead',
    'unknown-goal': 'The plan has no goal {goalId}',
    'goal-closed': 'Goal {goalId} is closed',
    'too-many-goals': 'A plan holds at most {max} open goals. Close one first',
    'no-safety-marker': 'No safety marker is set',
    'admission-days-invalid': 'No admissions cannot have admission days',
    'admission-date-invalid': 'An admission during the pathway is dated between its start and now',
    'consent-recipient-invalid': 'Consent to sharing with {scope} names a recipient, except for the region',
    'unknown-contact': 'The network has no contact {contactId}',
    'too-many-contacts': 'A network holds at most {max} contacts',
    'consent-required-for': 'The citizen has not consented to sharing with this {scope}',
    'already-attached': '{peer} is already attached',
    'not-attached': '{peer} is not attached',
    'too-many-peers': 'At most {max} peer workers can be attached to a pathway',
    'too-many-requests': 'At most {max} requests to partners can be open at once',
    'unknown-request': 'The pathway has no request {requestId}',
    'request-closed': 'Request {requestId} is already answered or withdrawn',
    'not-on-waitlist': 'The pathway is on no waitlist',
    'waiting-elsewhere': 'The pathway waits for a place at {waitingFor}, not {granted}',
    'not-possible-in-stage': '“{event}” is not possible while the pathway is {where}',
    'not-possible-now': '“{event}” is not possible now',
  },
};

/** Where a pathway is, to fit "the pathway is …". */
const wheres: Record<Lang, Record<WhereKey, string>> = {
  da: {
    'outreach.working': 'i opsøgende indsats',
    'outreach.handingOff': 'ved at blive henvist: udredningsteamet har ikke taget imod endnu',
    'assessment.working': 'i udredning',
    'assessment.handingOff': 'ved at blive overdraget: omsorgspladsteamet har ikke taget imod endnu',
    'waiting.waiting': 'på venteliste til en omsorgsplads',
    'stay.present': 'på ophold på en omsorgsplads',
    'stay.admitted': 'indlagt på hospital under opholdet',
    'stay.handingOff': 'ved at blive udskrevet: bostøtten har ikke taget imod endnu',
    'followUp.followUp': 'i opfølgning efter udskrivning',
    'closed.closed': 'afsluttet',
  },
  en: {
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
  },
};

/** The API's error codes besides refusal keys, with the params each carries. */
export const errorCodes = {
  'invalid-request': ['field'],
  'not-signed-in': [],
  'session-ended': [],
  'wrong-credentials': [],
  forbidden: [],
  'not-in-team': ['team'],
  'role-required': ['role'],
  'not-found': [],
  'pathway-closed': [],
  'stale-version': ['version', 'seen'],
  'unknown-team': ['team'],
  'unknown-facility': ['facility'],
  'unknown-partner': ['partner'],
  'rate-limited': [],
  unavailable: [],
  'run-ending': [],
  internal: [],
} as const satisfies Record<string, readonly string[]>;
export type ErrorCode = keyof typeof errorCodes;

const errors: Record<Lang, Record<ErrorCode, string>> = {
  da: {
    'invalid-request': 'Feltet „{field}“ er ikke udfyldt korrekt',
    'not-signed-in': 'Du er ikke logget ind',
    'session-ended': 'Du er blevet logget ud. Log ind igen',
    'wrong-credentials': 'Forkert medarbejder-id eller adgangskode',
    forbidden: 'Du har ikke adgang til dette',
    'not-in-team': 'Du er ikke med i teamet {team}',
    'role-required': 'Det kræver rollen {role}',
    'not-found': 'Findes ikke',
    'pathway-closed': 'Forløbet er afsluttet',
    'stale-version': 'Forløbet er ændret i mellemtiden (version {version}, du så {seen}). Genindlæs og prøv igen',
    'unknown-team': 'Teamet „{team}“ findes ikke eller er ikke længere aktivt',
    'unknown-facility': 'Omsorgspladsen „{facility}“ findes ikke eller er ikke længere aktiv',
    'unknown-partner': 'Samarbejdspartneren „{partner}“ findes ikke eller er ikke længere aktiv',
    'rate-limited': 'For mange forsøg. Vent lidt, og prøv igen',
    unavailable: 'Systemet svarer ikke lige nu. Prøv igen om lidt',
    'run-ending': 'Forløbet flytter lige til en ny kørsel. Prøv igen om et øjeblik',
    internal: 'Der opstod en fejl hos os. Prøv igen, eller kontakt support',
  },
  en: {
    'invalid-request': 'The field “{field}” is not filled in correctly',
    'not-signed-in': 'You are not signed in',
    'session-ended': 'You have been signed out. Sign in again',
    'wrong-credentials': 'Wrong staff id or password',
    forbidden: 'You may not do this',
    'not-in-team': 'You are not in the team {team}',
    'role-required': 'This needs the role {role}',
    'not-found': 'Not found',
    'pathway-closed': 'The pathway is closed',
    'stale-version': 'The pathway has changed meanwhile (version {version}, you saw {seen}). Reload and try again',
    'unknown-team': 'There is no active team “{team}”',
    'unknown-facility': 'There is no active care facility “{facility}”',
    'unknown-partner': 'There is no active partner “{partner}”',
    'rate-limited': 'Too many attempts. Wait a moment and try again',
    unavailable: 'The system is not answering right now. Try again shortly',
    'run-ending': 'The pathway is moving to a new run. Try again in a moment',
    internal: 'Something went wrong on our side. Try again, or contact support',
  },
};

const roles: Record<Lang, Record<string, string>> = {
  da: {
    coordinator: 'koordinator',
    supervisor: 'leder',
    'municipal-reader': 'kommunal læseadgang',
    admin: 'administrator',
    'privacy-officer': 'databeskyttelsesrådgiver',
  },
  en: {
    coordinator: 'coordinator',
    supervisor: 'supervisor',
    'municipal-reader': 'municipality-wide reader',
    admin: 'administrator',
    'privacy-officer': 'privacy officer',
  },
};

const fill = (template: string, vars: Params) => template.replace(/\{(\w+)\}/g, (whole, k: string) => (k in vars ? String(vars[k]) : whole));

/** Names of actions and fields in `lang` (the UI's own dictionary), so params read naturally. */
export type Namer = (key: string) => string;
/** Display names of teams and staff (the directory), for params that carry their ids. */
export interface People {
  team: (id: string) => string;
  staff: (id: string) => string;
}
const peopleParams: Record<string, keyof People> = { team: 'team', coordinator: 'staff', requestedBy: 'staff', peer: 'staff' };

export function whereText(lang: Lang, key: WhereKey): string {
  return wheres[lang][key] ?? key;
}

const isRefusalKey = (code: string): code is RefusalKey => (refusalKeys as string[]).includes(code);
const isErrorCode = (code: string): code is ErrorCode => Object.hasOwn(errorCodes, code);

/** A refusal in `lang`: event names and where the pathway is are translated too, and with `people`, ids named. */
export function refusalText(lang: Lang, why: RefusalWhy, name: Namer, people?: People): string {
  const params: Params = 'params' in why ? { ...why.params } : {};
  for (const [k, v] of Object.entries(params)) if (people && peopleParams[k] && typeof v === 'string') params[k] = people[peopleParams[k]](v);
  if (typeof params.event === 'string') params.event = name(params.event);
  if (typeof params.scope === 'string') params.scope = name(`scope:${params.scope}`);
  if (typeof params.stage === 'string' && typeof params.step === 'string') params.where = whereText(lang, `${params.stage}.${params.step}` as WhereKey);
  return fill(refusals[lang][why.key], params);
}

/** An API error body in `lang`: translated when its code is known, else the server's English text. */
export function errorText(lang: Lang, body: { error: string; code?: string; params?: Params }, name: Namer, people?: People): string {
  const { code, params = {} } = body;
  if (code && isRefusalKey(code)) return refusalText(lang, { key: code, params } as RefusalWhy, name, people);
  if (code && isErrorCode(code)) {
    const field = typeof params.field === 'string' ? name(params.field.split('.').at(-1) ?? params.field) : params.field;
    const role = typeof params.role === 'string' ? (roles[lang][params.role] ?? params.role) : params.role;
    return fill(errors[lang][code], { ...params, ...(field === undefined ? {} : { field }), ...(role === undefined ? {} : { role }) });
  }
  return body.error;
}
