import type { AuditEntry, Command, PathwayView } from '../../../machines';
import type { FacilityBoard } from '../../../workflows/facility-messages';

export interface Me {
  id: string;
  name: string;
  role: 'coordinator' | 'supervisor' | 'admin';
  teams: string[];
  language: 'da' | 'en' | null;
}
export interface Summary {
  pathwayId: string;
  status: 'open' | 'closed';
  stage: string | null;
  team: string | null;
  coordinator: string | null;
  stageEnteredAt: number | null;
  nextDeadline: number | null;
  flags: string[];
  facility: string | null;
}
export interface StuckCase extends Summary {
  reasons: { flag: string; reason: string }[];
}

export interface Stats {
  funnel: { stage: string; count: number }[];
  daysInStage: { stage: string; count: number; averageDays: number; maxDays: number }[];
  stays: { pathwayId: string; facilityId: string; day: number; limitDay: number }[];
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
  signOut: () => call<unknown>('DELETE', '/api/session'),
  pathways: (filter: Record<string, string> = {}) => call<Summary[]>('GET', `/api/pathways?${new URLSearchParams(filter)}`),
  /** With `after`, answers once the version passes it, or after ~25 s as it stands. */
  pathway: (id: string, after?: number) =>
    call<PathwayPage>('GET', `/api/pathways/${encodeURIComponent(id)}${after === undefined ? '' : `?after=${after}`}`),
  /** The newest audit entries older than `before`, oldest first; `older`: more before them. */
  audit: (id: string, before: number) =>
    call<{ entries: AuditEntry[]; older: boolean }>('GET', `/api/pathways/${encodeURIComponent(id)}/audit?before=${before}`),
  /** `view` is null when the pathway started but no worker answered in time (HTTP 202). */
  start: (citizenRef: string, team?: string) => call<{ pathwayId: string; view: PathwayView | null }>('POST', '/api/pathways', { citizenRef, ...(team ? { team } : {}) }),
  send: (id: string, command: Command, expectedVersion: number) =>
    call<{ view: PathwayView }>('POST', `/api/pathways/${encodeURIComponent(id)}/events`, {
      command,
      expectedVersion,
      // One id per click: a retry of the same request is applied once.
      requestId: crypto.randomUUID(),
    }),
  stuck: () => call<StuckCase[]>('GET', '/api/stuck'),
  facilities: () => call<FacilityBoard[]>('GET', '/api/facilities'),
  stats: () => call<Stats>('GET', '/api/stats'),
};
