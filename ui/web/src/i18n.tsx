import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { RefusalWhy, WhereKey } from '../../../machines';
import { ApiError } from './api';
import { names } from './names';
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
    registry: 'Teams, pladser og samarbejdspartnere', teams: 'Teams', name: 'Navn', id: 'Id', active: 'Aktiv', save: 'Gem',
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
    recoveryPlan: 'Recovery-plan', noGoals: 'Ingen mål endnu. Skriv dem sammen med borgeren, med borgerens egne ord.', helpedBy: 'hjælp fra {who}',
    ratings: 'Borgerens vurdering', goalClosed: 'Afsluttet, {outcome}, {when}', nextReview: 'Næste opfølgning',
    safetyTitle: 'Sikkerhed ved besøg', safetyBy: 'Sat af {who} {when}. Vurderes igen {review}.',
    admissionsTitle: 'Psykiatriske indlæggelser', admissionsBefore: 'De 12 måneder før forløbet', admissionsCount: '{count} indlæggelser, {days} dage',
    notRecorded: 'ikke registreret', admissionOn: 'Indlagt {date}, {days} dage',
    goalProgress: 'Borgernes mål', goalsSummary: '{plans} borgere har en plan med {goals} mål. {advanced} er rykket ({share}), {achieved} er nået. {yearly} årlige opfølgninger holdt.',
    goalsByArea: 'Mål rykket pr. livsområde', advancedOf: '{advanced} af {goals}', ratingsOverTime: 'Borgernes gennemsnitlige vurdering ved hver opfølgning',
    reviewNo: '{n}. opfølgning', admissionsBeforeAfter: 'Psykiatriske indlæggelser før og efter',
    admissionsCompared: 'Pr. borger og år, for de {n} borgere hvis indlæggelser året før er registreret', perYearAdmissions: 'Indlæggelser', perYearDays: 'Indlæggelsesdage',
    yearBefore: 'Året før forløbet', sinceStart: 'Siden forløbets start',
    circle: 'Netværk og samarbejde', network: 'Netværk', mayBeTold: 'må orienteres', consentWithdrawn: 'Trukket tilbage', noConsent: 'intet samtykke',
    peerWorkers: 'Peermedarbejdere', peerActive: 'har adgang med borgerens samtykke', peerNoConsent: 'samtykket er trukket tilbage: ingen adgang',
    partnerRequests: 'Henvendelser til samarbejdspartnere', answeredInTime: 'besvaret {when}, inden for fristen', answeredLate: 'besvaret {when}, efter fristen',
    withdrawn: 'trukket tilbage {when}', answerDue: 'svar senest',
    partnerSummary: '{requests} henvendelser, {inTime} besvaret inden for den aftalte tid ({share} af dem, der skulle være besvaret).',
    partners: 'Samarbejdspartnere', partnerKind: 'Type', contactName: 'Kontaktperson', contactEmail: 'Kontaktpersonens e-mail (valgfri)', responseDays: 'Aftalt svarfrist (dage)',
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
    registry: 'Teams, places and partners', teams: 'Teams', name: 'Name', id: 'Id', active: 'Active', save: 'Save',
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
    recoveryPlan: 'Recovery plan', noGoals: 'No goals yet. Write them with the citizen, in the citizen’s own words.', helpedBy: 'helped by {who}',
    ratings: 'The citizen’s rating', goalClosed: 'Closed, {outcome}, {when}', nextReview: 'Next review',
    safetyTitle: 'Safety on visits', safetyBy: 'Set by {who} {when}. To be reviewed {review}.',
    admissionsTitle: 'Psychiatric admissions', admissionsBefore: 'The 12 months before the pathway', admissionsCount: '{count} admissions, {days} days',
    notRecorded: 'not recorded', admissionOn: 'Admitted {date}, {days} days',
    goalProgress: 'The citizens’ goals', goalsSummary: '{plans} citizens have a plan with {goals} goals. {advanced} advanced ({share}), {achieved} achieved. {yearly} yearly reviews held.',
    goalsByArea: 'Goals advanced by life area', advancedOf: '{advanced} of {goals}', ratingsOverTime: 'The citizens’ mean rating at each review',
    reviewNo: 'Review {n}', admissionsBeforeAfter: 'Psychiatric admissions before and after',
    admissionsCompared: 'Per citizen and year, for the {n} citizens whose admissions in the year before are recorded', perYearAdmissions: 'Admissions', perYearDays: 'Admission days',
    yearBefore: 'The year before the pathway', sinceStart: 'Since the pathway began',
    circle: 'Network and cooperation', network: 'Network', mayBeTold: 'may be told', consentWithdrawn: 'Withdrawn', noConsent: 'no consent',
    peerWorkers: 'Peer workers', peerActive: 'has access with the citizen’s consent', peerNoConsent: 'consent withdrawn: no access',
    partnerRequests: 'Requests to partners', answeredInTime: 'answered {when}, in time', answeredLate: 'answered {when}, late',
    withdrawn: 'withdrawn {when}', answerDue: 'answer due',
    partnerSummary: '{requests} requests, {inTime} answered within the agreed time ({share} of those due).',
    partners: 'Partners', partnerKind: 'Kind', contactName: 'Contact person', contactEmail: 'Contact e-mail (optional)', responseDays: 'Agreed response time (days)',
  },
} as const;

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
