import type { NoticeInput } from './notices';

export type Language = 'da' | 'en';

/**
 * Notice texts. They name only the opaque pathway reference and link to it: who the citizen
 * is stays behind the sign-in of the web UI.
 */
const subjects: Record<Language, Record<NoticeInput['kind'], (days: string) => string>> = {
  da: {
    'handoff-requested': () => 'Nyt forløb venter på jeres accept',
    'handoff-reminder': () => 'Påmindelse: et forløb venter på jeres accept',
    'handoff-overdue': () => 'Eskalering: overdragelse ikke accepteret inden for fristen',
    'no-contact': () => 'Ingen kontakt registreret i opsøgende indsats',
    'stage-overdue': () => 'Forløbet har overskredet fristen for sin fase',
    'stay-reminder': (d) => `Opholdet på omsorgspladsen slutter om ${d}`,
    'stay-limit-near': (d) => `Opholdet slutter om ${d}`,
    'stay-limit': () => 'Eskalering: opholdet har nået grænsen på otte uger',
    'discharge-planning': () => 'Udskrivningsplanlægning er ikke startet',
    'hospital-hold': () => 'Pladsen er frigivet efter indlæggelse',
    'follow-up-due': () => 'Opfølgningen skal afsluttes',
    'review-reminder': (d) => `Et mål i recovery-planen skal følges op om ${d}`,
    'review-due': () => 'En aftalt opfølgning på recovery-planen er ikke holdt',
    'yearly-review': () => 'Den årlige opfølgning skal holdes',
    'safety-review': () => 'Sikkerhedsmarkeringen skal vurderes igen',
    'partner-reminder': (d) => `En samarbejdspartner skal svare om ${d}`,
    'partner-due': () => 'Eskalering: en samarbejdspartner har ikke svaret inden for den aftalte tid',
  },
  en: {
    'handoff-requested': () => 'A pathway is waiting for your acceptance',
    'handoff-reminder': () => 'Reminder: a pathway is waiting for your acceptance',
    'handoff-overdue': () => 'Escalation: handoff not accepted in time',
    'no-contact': () => 'No contact logged in outreach',
    'stage-overdue': () => 'The pathway is overdue in its stage',
    'stay-reminder': (d) => `The care-place stay ends in ${d}`,
    'stay-limit-near': (d) => `The stay ends in ${d}`,
    'stay-limit': () => 'Escalation: the stay has reached its eight-week limit',
    'discharge-planning': () => 'Discharge planning has not started',
    'hospital-hold': () => 'The place was released after a hospital admission',
    'follow-up-due': () => 'Follow-up is due to be completed',
    'review-reminder': (d) => `A goal of the recovery plan is due for review in ${d}`,
    'review-due': () => 'An agreed review of the recovery plan was missed',
    'yearly-review': () => 'The yearly review is due',
    'safety-review': () => 'The safety marker is due for review',
    'partner-reminder': (d) => `A partner is due to answer in ${d}`,
    'partner-due': () => 'Escalation: a partner has not answered within the agreed time',
  },
};

const daysText = (ms: number, lang: Language) => {
  const days = Math.max(0, Math.round(ms / 86_400_000));
  return lang === 'da' ? `${days} ${days === 1 ? 'dag' : 'dage'}` : `${days} ${days === 1 ? 'day' : 'days'}`;
};

export function renderNotice(n: NoticeInput, lang: Language, linkBase: string): { subject: string; text: string } {
  const ref = n.pathwayId;
  const link = `${linkBase.replace(/\/$/, '')}/pathways/${encodeURIComponent(ref)}`;
  const remaining = daysText((n.about ?? n.dueAt) - n.dueAt, lang);
  const subject = `[${lang === 'da' ? 'Forløb' : 'Pathway'} ${ref}] ${subjects[lang][n.kind](remaining)}`;
  const due = new Date(n.dueAt).toISOString().slice(0, 16).replace('T', ' ');
  const text =
    lang === 'da'
      ? `${subjects.da[n.kind](remaining)}.\n\nForløb: ${ref}\nTidspunkt: ${due} UTC\n\nSe forløbet og hvad der skal gøres: ${link}\n`
      : `${subjects.en[n.kind](remaining)}.\n\nPathway: ${ref}\nDue: ${due} UTC\n\nSee the pathway and what to do next: ${link}\n`;
  return { subject, text };
}
