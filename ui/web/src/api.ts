import type { AdmissionFigures, CooperationFigures, RecoveryFigures } from '../../../records/recovery-report';
import { reportSignedOut } from './connection';
import type { AuditEntry, OccupancyBoard, Command, CommandType, PathwayView, StaffRole } from '../../../machines';

export interface Me {
  id: string;
  name: string;
  role: StaffRole;
  teams: string[];
  language: 'da' | 'en' | null;
}
/** How one may sign in here: local accounts, and the organisation's identity provider when configured. */
export interface SignInMethods {
  local: boolean;
  oidc: { name: string; login: string } | null;
}
export interface Summary {
  pathwayId: string;
  citizenName: string | null;
  citizenRef: string | null;
  status: 'open' | 'closed';
  stage: string | null;
  team: string | null;
  coordinator: string | null;
  stageEnteredAt: number | null;
  nextDeadline: number | null;
  nextDeadlineKind: string | null;
  flags: string[];
  facility: string | null;
  handoffTo: string | null;
  handoffAt: number | null;
}
/** Names for ids (ui/server/directory-routes.ts): every team, and every colleague with their role and teams. */
export interface Directory {
  teams: { id: string; name: string }[];
  staff: { id: string; name: string; role: StaffRole; teams: string[] }[];
}
/** What waits for the signed-in person (ui/server/inbox.ts). */
export interface InboxItem extends Summary {
  kind: 'handoff' | 'extension' | 'flagged';
  answer: CommandType | null;
}
export interface StuckCase extends Summary {
  reasons: { flag: string; reason: string }[];
}

export interface Stats {
  funnel: { stage: string; count: number }[];
  daysInStage: { stage: string; count: number; averageDays: number; maxDays: number }[];
  stays: { pathwayId: string; facilityId: string; day: number; limitDay: number }[];
}

/** A registered team: everyone sees id, name and language; admins the addresses and inactive ones too. */
export interface RegistryTeam {
  id: string;
  name: string;
  language: 'da' | 'en';
  coordinators?: string[];
  supervisors?: string[];
  active?: boolean;
}
export interface RegistryFacility {
  id: string;
  name: string;
  capacity: number;
  active: boolean;
}
export type PartnerKind = 'region-psychiatry' | 'housing-office' | 'police' | 'other';
/** A partner organisation: everyone sees the active ones without e-mail; admins the e-mail and inactive ones too. */
export interface RegistryPartner {
  id: string;
  name: string;
  kind: PartnerKind;
  contactName: string;
  contactEmail?: string;
  responseDays: number;
  active?: boolean;
}

export interface Spread {
  count: number;
  mean: number | null;
  median: number | null;
  max: number | null;
}
/** The evaluation report (records/reports.ts): the cohort opened in the period. */
export interface Report {
  period: { from: number; to: number };
  pathways: number;
  reached: number;
  consentGiven: number;
  referred: number;
  assessmentOutcomes: Record<string, number>;
  waits: Spread;
  stays: Spread & { ended: number; withinLimitShare: number | null; extensionsRequested: number; extensionsApproved: number; hospitalAdmissions: number; releasedAfterHold: number };
  dischargedToHousing: number;
  followUpOutcomes: { stable: number; readmitted: number };
  timeInStage: ({ stage: string } & Spread)[];
  closures: { reason: string; count: number }[];
  recovery: RecoveryFigures;
  admissions: AdmissionFigures;
  cooperation: CooperationFigures;
}

/** One access-log entry (records/access-log.ts): who did what to which case, and how it ended. */
export interface AccessEntry {
  id: number;
  at: number;
  actor: { id: string; role: string; teams: string[] };
  action: string;
  pathwayId: string | null;
  outcome: string;
  details: Record<string, unknown>;
}
export interface AccessPage {
  entries: AccessEntry[];
  /** Where the next page starts; null at the end. */
  next: number | null;
}

/** An error answer: `error` is English; `code` and `params` are what the UI translates. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly code?: string,
    readonly params?: Record<string, string | number>,
  ) {
    super(error);
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    credentials: 'same-origin',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = (await res.json().catch(() => ({}))) as { error?: string; code?: string; params?: Record<string, string | number> };
  // Signing in answers 401 for a wrong password: only an ended or missing session brings the sign-in form back.
  if (res.status === 401 && !url.startsWith('/api/session')) reportSignedOut();
  if (!res.ok) throw new ApiError(res.status, data.error ?? res.statusText, data.code, data.params);
  return data as T;
}

/** A pathway's page: its view, or for a closed pathway Temporal no longer has, `view` null and its record. */
export type PathwayPage = { audit: AuditEntry[]; auditOlder: boolean } & (
  | { view: PathwayView; record?: undefined }
  | { view: null; record: { pathwayId: string; team: string; openedAt: number; closedAt: number | null; closureReason: string | null; history: { stages: { stage: string; enteredAt: number; leftAt: number | null }[] } } }
);

export const api = {
  me: () => call<Me>('GET', '/api/session'),
  signIn: (id: string, password: string) => call<Me>('POST', '/api/session', { id, password }),
  methods: () => call<SignInMethods>('GET', '/api/session/methods'),
  /** Ends the session; after a provider sign-in, also goes on to the provider to end its session. */
  signOut: async () => {
    const { oidc } = await call<SignInMethods>('GET', '/api/session/methods');
    if (!oidc) return void (await call<unknown>('DELETE', '/api/session'));
    const { redirect } = await call<{ redirect: string | null }>('POST', '/api/oidc/logout');
    if (redirect) location.assign(redirect);
  },
  pathways: (filter: Record<string, string> = {}) => call<Summary[]>('GET', `/api/pathways?${new URLSearchParams(filter)}`),
  /** With `after`, answers once the version passes it, or after ~25 s as it stands. */
  pathway: (id: string, after?: number) =>
    call<PathwayPage>('GET', `/api/pathways/${encodeURIComponent(id)}${after === undefined ? '' : `?after=${after}`}`),
  /** The newest audit entries older than `before`, oldest first; `older`: more before them. */
  audit: (id: string, before: number) =>
    call<{ entries: AuditEntry[]; older: boolean }>('GET', `/api/pathways/${encodeURIComponent(id)}/audit?before=${before}`),
  /** `view` is null when the pathway started but no worker answered in time (HTTP 202). */
  start: (o: { citizenRef: string; citizenName: string; cpr?: string; team?: string }) =>
    call<{ pathwayId: string; view: PathwayView | null }>('POST', '/api/pathways', Object.fromEntries(Object.entries(o).filter(([, v]) => v))),
  /** A citizen's pathways by CPR number: sent in the body, never in a URL. */
  searchByCpr: (cpr: string) => call<Summary[]>('POST', '/api/pathways/search', { cpr }),
  send: (id: string, command: Command, expectedVersion: number) =>
    call<{ view: PathwayView }>('POST', `/api/pathways/${encodeURIComponent(id)}/events`, {
      command,
      expectedVersion,
      // One id per click: a retry of the same request is applied once.
      requestId: crypto.randomUUID(),
    }),
  stuck: () => call<StuckCase[]>('GET', '/api/stuck'),
  inbox: () => call<{ items: InboxItem[]; count: number }>('GET', '/api/inbox'),
  directory: () => call<Directory>('GET', '/api/directory'),
  facilities: () => call<OccupancyBoard[]>('GET', '/api/facilities'),
  facilitiesCsvUrl: '/api/facilities.csv',
  stats: () => call<Stats>('GET', '/api/stats'),
  /** `from`/`to` as YYYY-MM-DD; `reportCsvUrl` is the same report to download. */
  report: (q: Record<string, string>) => call<Report>('GET', `/api/reports?${new URLSearchParams(q)}`),
  reportCsvUrl: (q: Record<string, string>) => `/api/reports.csv?${new URLSearchParams(q)}`,
  /** A case's access log, oldest first, from entry `after` on; the exports are every entry of it. */
  caseAccessLog: (id: string, after = 0) => call<AccessPage>('GET', `/api/pathways/${encodeURIComponent(id)}/access-log?after=${after}`),
  caseAccessLogUrl: (id: string, format: 'csv' | 'json') => `/api/pathways/${encodeURIComponent(id)}/access-log.${format}`,
  /** The whole log, or one person's entries (the privacy officer's). */
  accessLog: (q: { actor?: string; after?: number }) =>
    call<AccessPage>('GET', `/api/access-log?${new URLSearchParams(Object.entries(q).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [[k, String(v)]])))}`),
  verifyAccessLog: () => call<{ broken: { id: number; problem: string } | null }>('GET', '/api/access-log/verify'),
  teams: () => call<RegistryTeam[]>('GET', '/api/teams'),
  saveTeam: (t: Required<RegistryTeam>) => call<RegistryTeam>('PUT', `/api/teams/${encodeURIComponent(t.id)}`, { ...t, id: undefined }),
  registryFacilities: () => call<RegistryFacility[]>('GET', '/api/facilities/registry'),
  saveFacility: (f: RegistryFacility) => call<RegistryFacility>('PUT', `/api/facilities/registry/${encodeURIComponent(f.id)}`, { ...f, id: undefined }),
  partners: () => call<RegistryPartner[]>('GET', '/api/partners'),
  putPartner: (p: RegistryPartner & { active: boolean }) => call<RegistryPartner>('PUT', `/api/partners/${encodeURIComponent(p.id)}`, { ...p, id: undefined }),
};
