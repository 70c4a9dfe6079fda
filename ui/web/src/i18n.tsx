import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { RefusalWhy, WhereKey } from '../../../machines';
import { ApiError } from './api';
import { errorText, locales, numberText, refusalText, relativeDays, whereText, type Lang, type People } from './messages';

export type { Lang } from './messages';

const texts = {
  da: {
    title: 'Forløb', signIn: 'Log ind', signInWith: 'Log ind med {name}', orLocal: 'Eller med en lokal konto', signOut: 'Log ud', staffId: 'Medarbejder-id', password: 'Adgangskode',
    caseload: 'Mine forløb', start: 'Start forløb', stuck: 'Fastlåste forløb', facilities: 'Omsorgspladser',
    citizenRef: 'Borgerreference (ikke navn eller CPR)', citizenName: 'Borgerens navn', citizen: 'Borger', cprOptional: 'CPR-nummer (valgfrit, gemmes ikke)', findByCpr: 'Find borger ud fra CPR-nummer', team: 'Team', create: 'Opret', language: 'Sprog',
    stage: 'Fase', responsible: 'Ansvarligt team', coordinator: 'Koordinator', flags: 'Markeringer', nextDeadline: 'Næste frist',
    deadlines: 'Frister', actions: 'Handlinger', unavailable: 'Ikke mulige nu', audit: 'Historik', send: 'Udfør', cancel: 'Fortryd',
    none: 'Ingen', loading: 'Henter…', stayEnds: 'Opholdet slutter', day: 'Dag', reason: 'Årsag', occupants: 'Beboere',
    waitlist: 'Venteliste', projected: 'Forventet plads', capacity: 'Pladser', when: 'Tidspunkt', who: 'Hvem', what: 'Hvad',
    timeline: 'Forløbets faser', empty: 'Intet at vise', funnel: 'Forløb pr. fase', daysInStage: 'Dage i nuværende fase',
    staysAgainstLimit: 'Ophold mod grænsen', daysHint: 'Gennemsnit / længste (antal åbne forløb)', teamPage: 'Teamoverblik', passed: 'overskredet',
    whereNow: 'Forløbet er {where}',
    registry: 'Teams og pladser', teams: 'Teams', name: 'Navn', id: 'Id', active: 'Aktiv', save: 'Gem',
    coordinators: 'Koordinatorers e-mail (kommasepareret)', supervisors: 'Lederes e-mail (kommasepareret)', saved: 'Gemt',
    reports: 'Evaluering (forløb startet i perioden)', from: 'Fra', to: 'Til', downloadCsv: 'Hent CSV', show: 'Vis',
    cohort: 'Borgere i perioden', reached: 'Kontakt opnået', consentGiven: 'Samtykke givet', referred: 'Henvist',
    assessmentOutcomes: 'Udredningens resultat', waits: 'Ventetid på plads (dage)', stays: 'Ophold (dage)', staysEnded: 'Afsluttede ophold',
    withinLimit: 'Afsluttet inden for grænsen', extensions: 'Forlængelser (godkendt / ønsket)', hospitalAdmissions: 'Indlæggelser under opholdet',
    releasedAfterHold: 'Pladser frigivet efter hospitalsfristen', dischargedToHousing: 'Udskrevet til bolig', followUpOutcomes: 'Opfølgningens resultat',
    timeInStage: 'Tid i hver fase (dage)', closures: 'Afslutninger efter årsag', meanMedianMax: 'gns. {mean} · median {median} · max {max} (n={n})',
    showOlder: 'Vis ældre', closedRecord: 'Afsluttet forløb (kun læsning, fra journalen)', closedAt: 'Afsluttet', closureReason: 'Afslutningsårsag', opened: 'Oprettet',
    accessLog: 'Adgangslog', pathway: 'Forløb', outcome: 'Udfald', showMore: 'Vis flere', backToPathway: 'Tilbage til forløbet', downloadJson: 'Hent JSON',
    pathwayId: 'Forløbs-id', verifyChain: 'Kontrollér loggens kæde', chainIntact: 'Kæden er intakt', chainBroken: 'Kæden er brudt ved post {id}',
    otherTeam: 'Andet teams borger',
    inbox: 'Venter på mig', inboxEmpty: 'Intet venter på dig', 'inbox:handoff': 'Overdragelse til jer', 'inbox:extension': 'Forlængelse at tage stilling til',
    'inbox:flagged': 'Dit forløb er markeret', sentAt: 'sendt {when}', decisionBasis: 'Det beslutningen bygger på', handoffFrom: 'Overdraget fra',
    note: 'Note', consent: 'Samtykke', consentYes: 'Givet', consentNo: 'Afvist', extensionAsked: 'Forlængelse ønsket',
    extensionDays: '{days} dage, ønsket af {who} {when}',
    yes: 'Ja', no: 'Nej', confirmTitle: '{action}: er du sikker?', cannotUndo: 'Det kan ikke gøres om.', confirmAction: 'Ja: {action}', goBack: 'Tilbage',
    actionDone: 'Udført: {action}', backToStart: 'Tilbage til forsiden', details: 'Detaljer', engine: 'Systemet', print: 'Udskriv', menu: 'Menu', lastContact: 'Seneste kontakt', filters: 'Filtre', search: 'Søg navn eller reference', all: 'Alle',
    mineOnly: 'Kun mine', sortBy: 'Sortér efter', 'sort:attention': 'Det der haster', 'sort:deadline': 'Næste frist', 'sort:waiting': 'Længst i fasen', 'sort:name': 'Navn',
    unlisted: 'Venter på plads, men står ikke på en venteliste', waitingSince: 'venter siden {when}', inStageFor: 'I fasen', days: '{n} dage', decision: 'Beslutning', choose: 'Vælg', chooseAll: 'Vælg alle viste', bulkTitle: 'Flyt {n} valgte forløb', bulkDone: '{ok} af {n} udført.',
    reloadKeepText: 'Genindlæs og behold min tekst', ifApproved: 'Hvis den godkendes', stayWouldEnd: 'Opholdet slutter {date}.',
    noOneWaitsLonger: 'Ingen på ventelisten til {facility} kommer til at vente længere.',
    waitLonger: '{later} af {waiting} på ventelisten til {facility} får deres plads op til {days} dage senere.', plannedDischarge: 'Planlagt udskrivning', dayOf: 'dag {day} af {of}', connectionTrouble: 'Siden kunne ikke opdateres. Det du ser, kan være forældet; vi prøver igen.',
  },
  en: {
    title: 'Pathways', signIn: 'Sign in', signInWith: 'Sign in with {name}', orLocal: 'Or with a local account', signOut: 'Sign out', staffId: 'Staff id', password: 'Password',
    caseload: 'My caseload', start: 'Start a pathway', stuck: 'Stuck cases', facilities: 'Care places',
    citizenRef: 'Citizen reference (not a name or ID number)', citizenName: 'Citizen’s name', citizen: 'Citizen', cprOptional: 'CPR number (optional, not stored)', findByCpr: 'Find a citizen by CPR number', team: 'Team', create: 'Create', language: 'Language',
    stage: 'Stage', responsible: 'Responsible team', coordinator: 'Coordinator', flags: 'Flags', nextDeadline: 'Next deadline',
    deadlines: 'Deadlines', actions: 'Actions', unavailable: 'Not possible now', audit: 'Audit trail', send: 'Do it', cancel: 'Cancel',
    none: 'None', loading: 'Loading…', stayEnds: 'Stay ends', day: 'Day', reason: 'Reason', occupants: 'Occupants',
    waitlist: 'Waitlist', projected: 'Projected place', capacity: 'Places', when: 'When', who: 'Who', what: 'What',
    timeline: 'Stages', empty: 'Nothing to show', funnel: 'Pathways by stage', daysInStage: 'Days in current stage',
    staysAgainstLimit: 'Stays against the limit', daysHint: 'Average / longest (open pathways)', teamPage: 'Team overview', passed: 'passed',
    whereNow: 'The pathway is {where}',
    registry: 'Teams and places', teams: 'Teams', name: 'Name', id: 'Id', active: 'Active', save: 'Save',
    coordinators: 'Coordinator e-mails (comma-separated)', supervisors: 'Supervisor e-mails (comma-separated)', saved: 'Saved',
    reports: 'Evaluation (pathways opened in the period)', from: 'From', to: 'To', downloadCsv: 'Download CSV', show: 'Show',
    cohort: 'Citizens in the period', reached: 'Reached', consentGiven: 'Consent given', referred: 'Referred',
    assessmentOutcomes: 'Assessment outcomes', waits: 'Wait for a place (days)', stays: 'Stays (days)', staysEnded: 'Stays ended',
    withinLimit: 'Ended within the limit', extensions: 'Extensions (approved / requested)', hospitalAdmissions: 'Hospital admissions during stays',
    releasedAfterHold: 'Places released after the hospital hold', dischargedToHousing: 'Discharged to housing', followUpOutcomes: 'Follow-up outcomes',
    timeInStage: 'Time in each stage (days)', closures: 'Closures by reason', meanMedianMax: 'mean {mean} · median {median} · max {max} (n={n})',
    showOlder: 'Show older', closedRecord: 'Closed pathway (read-only, from the records)', closedAt: 'Closed', closureReason: 'Closure reason', opened: 'Opened',
    accessLog: 'Access log', pathway: 'Pathway', outcome: 'Outcome', showMore: 'Show more', backToPathway: 'Back to the pathway', downloadJson: 'Download JSON',
    pathwayId: 'Pathway id', verifyChain: 'Check the log’s chain', chainIntact: 'The chain is intact', chainBroken: 'The chain is broken at entry {id}',
    otherTeam: 'Another team’s citizen',
    inbox: 'Needs me', inboxEmpty: 'Nothing waits for you', 'inbox:handoff': 'Handoff to your team', 'inbox:extension': 'Extension to decide',
    'inbox:flagged': 'Your case is flagged', sentAt: 'sent {when}', decisionBasis: 'What the decision rests on', handoffFrom: 'Handed over by',
    note: 'Note', consent: 'Consent', consentYes: 'Given', consentNo: 'Refused', extensionAsked: 'Extension requested',
    extensionDays: '{days} days, asked by {who} {when}',
    yes: 'Yes', no: 'No', confirmTitle: '{action}: are you sure?', cannotUndo: 'This cannot be undone.', confirmAction: 'Yes: {action}', goBack: 'Go back',
    actionDone: 'Done: {action}', backToStart: 'Back to the start page', details: 'Details', engine: 'The engine', print: 'Print', menu: 'Menu', lastContact: 'Last contact', filters: 'Filters', search: 'Search name or reference', all: 'All',
    mineOnly: 'Mine only', sortBy: 'Sort by', 'sort:attention': 'Most urgent', 'sort:deadline': 'Next deadline', 'sort:waiting': 'Longest in stage', 'sort:name': 'Name',
    unlisted: 'Waiting for a place, on no waitlist', waitingSince: 'waiting since {when}', inStageFor: 'In stage for', days: '{n} days', decision: 'Decision', choose: 'Choose', chooseAll: 'Choose all shown', bulkTitle: 'Reassign {n} chosen pathways', bulkDone: '{ok} of {n} done.',
    reloadKeepText: 'Reload and keep my text', ifApproved: 'If approved', stayWouldEnd: 'The stay ends {date}.',
    noOneWaitsLonger: 'No one on the waitlist for {facility} waits longer.',
    waitLonger: '{later} of {waiting} on the waitlist for {facility} get their place up to {days} days later.', plannedDischarge: 'Planned discharge', dayOf: 'day {day} of {of}', connectionTrouble: 'The page could not be refreshed. What you see may be out of date; trying again.',
  },
} as const;

/** Names of stages, events, fields, flags and deadlines, by language. */
const names: Record<Lang, Record<string, string>> = {
  da: {
    outreach: 'Opsøgende indsats', assessment: 'Udredning', waiting: 'Venter på plads', stay: 'Ophold på omsorgsplads',
    followUp: 'Opfølgning', closed: 'Afsluttet',
    'contact.log': 'Registrér kontakt', 'consent.record': 'Registrér samtykke', 'referral.request': 'Henvis til udredning',
    'handoff.accept': 'Acceptér overdragelse', 'handoff.reject': 'Afvis overdragelse', 'handoff.cancel': 'Tilbagekald overdragelse',
    'assessment.outcome': 'Registrér udredningens resultat', 'waitlist.join': 'Skriv på venteliste', 'hospital.admit': 'Indlagt',
    'hospital.return': 'Udskrevet fra hospital', 'dischargePlanning.start': 'Start udskrivningsplanlægning',
    'extension.request': 'Anmod om forlængelse', 'extension.approve': 'Godkend forlængelse', 'extension.decline': 'Afvis forlængelse',
    'discharge.request': 'Udskriv til bolig', 'readmission.record': 'Registrér genindlæggelse', 'followUp.complete': 'Afslut opfølgning',
    'coordinator.assign': 'Sæt koordinator', 'pathway.reassign': 'Flyt til andet team', 'note.add': 'Tilføj note', 'pathway.close': 'Luk forløb',
    outcome: 'Resultat', note: 'Note', given: 'Samtykke givet', toTeam: 'Til team', reason: 'Årsag', facilityId: 'Sted', priority: 'Prioritet',
    days: 'Dage', text: 'Tekst', contactedAt: 'Tidspunkt, hvis tidligere end nu',
    'handoff-pending': 'Venter på accept', 'handoff-overdue': 'Overdragelse forsinket', 'no-contact': 'Ingen kontakt', overdue: 'Over fristen',
    'stay-limit-near': 'Ophold snart slut', 'stay-limit-exceeded': 'Ophold over grænsen', 'discharge-planning-late': 'Udskrivning ikke planlagt',
    'hospital-admitted': 'Indlagt', 'hold-expired': 'Plads frigivet', 'extension-requested': 'Forlængelse ønsket', readmitted: 'Genindlagt',
    'notice-failing': 'Påmindelser fejler', 'facility-unreachable': 'Omsorgspladsen svarer ikke', 'records-failing': 'Journalen kan ikke gemmes',
    'stay-limit': 'Opholdets grænse', 'stay-reminder': 'Påmindelse', 'discharge-planning': 'Udskrivningsplanlægning', 'hospital-hold': 'Plads holdes',
    'handoff-reminder': 'Påmindelse om overdragelse', 'stage-overdue': 'Fasens frist', 'follow-up-due': 'Opfølgning slut',
    'pathway.start': 'Forløbet oprettet', 'deadline.passed': 'Frist overskredet', 'place.grant': 'Plads tildelt', 'place.released': 'Plads frigivet',
    'notice.undeliverable': 'Påmindelse kunne ikke leveres', team: 'Team', kind: 'Frist', facility: 'Sted', reached: 'nået', 'not-reached': 'ikke nået',
    returning: 'vender tilbage', 'care-place': 'omsorgsplads', 'other-offer': 'andet tilbud', 'no-need': 'intet behov', normal: 'normal', urgent: 'akut', stable: 'stabil',
    declined: 'afslået', 'lost-contact': 'mistet kontakt', moved: 'fraflyttet', deceased: 'død', other: 'andet', 'housed-stable': 'i bolig, stabil',
    coordinator: 'koordinator', supervisor: 'leder', 'municipal-reader': 'kommunal læseadgang', admin: 'administrator', 'privacy-officer': 'databeskyttelsesrådgiver',
    'case.start': 'Oprettede forløbet', 'case.read': 'Læste forløbet', 'audit.read': 'Læste historikken', 'case.act': 'Handling',
    'codec.decode': 'Dekrypterede data', 'access-log.read': 'Læste adgangsloggen', 'access-log.export': 'Hentede adgangsloggen',
    'session.sign-in': 'Log ind', 'session.sign-out': 'Log ud', 'case.search': 'Fandt forløbet ud fra CPR-nummer',
    'account.end-sessions': 'Afsluttede en medarbejders sessioner', 'account.lift-sign-in-delay': 'Ophævede en forsinkelse af log ind',
    'registry.team': 'Registrerede et team', 'registry.facility': 'Registrerede et opholdssted',
    'outcome:allowed': 'Tilladt', 'outcome:refused': 'Afvist', 'outcome:not-found': 'Findes ikke', 'outcome:failed': 'Fejlede',
  },
  en: {
    outreach: 'Outreach', assessment: 'Assessment', waiting: 'Waiting for a place', stay: 'Care-place stay', followUp: 'Follow-up', closed: 'Closed',
    'contact.log': 'Log contact', 'consent.record': 'Record consent', 'referral.request': 'Refer to assessment', 'handoff.accept': 'Accept handoff',
    'handoff.reject': 'Reject handoff', 'handoff.cancel': 'Withdraw handoff', 'assessment.outcome': 'Record assessment outcome',
    'waitlist.join': 'Join waitlist', 'hospital.admit': 'Admitted to hospital', 'hospital.return': 'Back from hospital',
    'dischargePlanning.start': 'Start discharge planning', 'extension.request': 'Request extension', 'extension.approve': 'Approve extension',
    'extension.decline': 'Decline extension', 'discharge.request': 'Discharge to housing', 'readmission.record': 'Record readmission',
    'followUp.complete': 'Complete follow-up', 'coordinator.assign': 'Assign coordinator', 'pathway.reassign': 'Move to another team',
    'note.add': 'Add note', 'pathway.close': 'Close pathway',
    outcome: 'Outcome', note: 'Note', given: 'Consent given', toTeam: 'To team', reason: 'Reason', facilityId: 'Facility', priority: 'Priority',
    days: 'Days', text: 'Text', contactedAt: 'When, if earlier than now',
    'handoff-pending': 'Awaiting acceptance', 'handoff-overdue': 'Handoff overdue', 'no-contact': 'No contact', overdue: 'Overdue',
    'stay-limit-near': 'Stay ending soon', 'stay-limit-exceeded': 'Stay past limit', 'discharge-planning-late': 'Discharge not planned',
    'hospital-admitted': 'In hospital', 'hold-expired': 'Place released', 'extension-requested': 'Extension requested', readmitted: 'Readmitted',
    'notice-failing': 'Reminders failing', 'facility-unreachable': 'Care place not answering', 'records-failing': 'Records cannot be saved',
    'stay-limit': 'Stay limit', 'stay-reminder': 'Reminder', 'discharge-planning': 'Discharge planning', 'hospital-hold': 'Place held until',
    'handoff-reminder': 'Handoff reminder', 'stage-overdue': 'Stage deadline', 'follow-up-due': 'Follow-up due',
    'pathway.start': 'Pathway started', 'deadline.passed': 'Deadline passed', 'place.grant': 'Place granted', 'place.released': 'Place released',
    'notice.undeliverable': 'Notice undeliverable', team: 'Team', kind: 'Deadline', facility: 'Facility', reached: 'reached', 'not-reached': 'not reached',
    returning: 'returning', 'care-place': 'care place', 'other-offer': 'other offer', 'no-need': 'no need', normal: 'normal', urgent: 'urgent', stable: 'stable',
    declined: 'declined', 'lost-contact': 'lost contact', moved: 'moved away', deceased: 'deceased', other: 'other', 'housed-stable': 'housed, stable',
    coordinator: 'coordinator', supervisor: 'supervisor', 'municipal-reader': 'municipality-wide reader', admin: 'administrator', 'privacy-officer': 'privacy officer',
    'case.start': 'Started the pathway', 'case.read': 'Read the pathway', 'audit.read': 'Read the audit trail', 'case.act': 'Action',
    'codec.decode': 'Decrypted data', 'access-log.read': 'Read the access log', 'access-log.export': 'Downloaded the access log',
    'session.sign-in': 'Sign-in', 'session.sign-out': 'Sign-out', 'case.search': 'Found the pathway by CPR number',
    'account.end-sessions': 'Ended a person’s sessions', 'account.lift-sign-in-delay': 'Lifted a sign-in delay',
    'registry.team': 'Registered a team', 'registry.facility': 'Registered a facility',
    'outcome:allowed': 'Allowed', 'outcome:refused': 'Refused', 'outcome:not-found': 'Not found', 'outcome:failed': 'Failed',
  },
};

export type TextKey = keyof (typeof texts)['en'];

const initial = (): Lang => {
  const saved = localStorage.getItem('lang');
  if (saved === 'da' || saved === 'en') return saved;
  return navigator.language.toLowerCase().startsWith('da') ? 'da' : 'en';
};

const Ctx = createContext<{ lang: Lang; setLang: (l: Lang) => void }>({ lang: 'en', setLang: () => {} });

export function LanguageProvider({ children }: { children: ReactNode }) {
  const [lang, set] = useState<Lang>(initial);
  const setLang = (l: Lang) => {
    localStorage.setItem('lang', l);
    document.documentElement.lang = l;
    set(l);
  };
  document.documentElement.lang = lang;
  return <Ctx.Provider value={{ lang, setLang }}>{children}</Ctx.Provider>;
}

export function useLang() {
  const { lang, setLang } = useContext(Ctx);
  const t = (key: TextKey, vars: Record<string, string | number> = {}) =>
    Object.entries(vars).reduce<string>((s, [k, v]) => s.replace(`{${k}}`, String(v)), texts[lang][key]);
  const name = (key: string) => names[lang][key] ?? key;
  const date = (ms: number) => new Date(ms).toLocaleString(locales[lang], { dateStyle: 'medium', timeStyle: 'short' });
  const countdown = (ms: number) => relativeDays(lang, ms, Date.now());
  const num = (v: number) => numberText(lang, v);
  /** A deadline as lists show it: its kind (where known), date and how far off. */
  const due = (at: number, kind: string | null) => `${kind ? `${name(kind)}: ` : ''}${date(at)} (${countdown(at)})`;
  /** Refusals, where a pathway is and API errors are translated by key; English text is never read. `people`: name the ids in them. */
  const refusal = (why: RefusalWhy, people?: People) => refusalText(lang, why, name, people);
  const where = (key: WhereKey) => whereText(lang, key);
  const problem = (err: Error, people?: People) => (err instanceof ApiError ? errorText(lang, err, name, people) : err.message);
  return { lang, setLang, t, name, date, countdown, due, num, refusal, where, problem };
}

/** The page's title, so tabs, history and screen readers say where one is. */
export function useTitle(page: string) {
  const { t } = useLang();
  useEffect(() => {
    document.title = `${page} · ${t('title')}`;
  }, [page, t]);
}

/**
 * An error shown to the user, in their language; a page that is not theirs or not there offers
 * the way back. `title`: the error replaces a whole page, which keeps its heading.
 */
export function Problem({ error, title }: { error: Error; title?: string }) {
  const { problem, t } = useLang();
  const away = error instanceof ApiError && (error.status === 403 || error.status === 404);
  return (
    <>
      {title && <h1>{title}</h1>}
      <p role="alert" className="error">
        {problem(error)}
      </p>
      {away && (
        <p>
          <a href="#/">{t('backToStart')}</a>
        </p>
      )}
    </>
  );
}
