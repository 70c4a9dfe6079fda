import type { Actor } from './events';

/**
 * Who may do what, decided here and nowhere else: the API asks `scopeOf` before it answers,
 * the pathway workflow asks `mayReach` before it looks at a version, and the web UI asks
 * `scopeOf` for what to offer. docs/authorization.md is this table, checked by a test.
 *
 * A scope says whose cases a capability covers: `teams` the pathways one of the person's teams
 * holds or is asked to take (a pending handoff's receiving team), `attached` the pathways a peer
 * worker is attached to while the citizen's consent for them holds, `all` every pathway (or, for
 * a capability about no pathway, simply "allowed"). A role without an entry may not use it.
 */

export type StaffRole = Exclude<Actor['role'], 'system'>;
export type Scope = 'teams' | 'attached' | 'all';

export const capabilities = {
  'case.start': { endpoints: ['POST /api/pathways'], what: 'start a pathway for one of your teams' },
  'case.read': {
    endpoints: ['GET /api/pathways/:id', 'GET /api/pathways/:id/audit'],
    what: 'read a case: its view, notes, reasons and audit trail',
  },
  'case.act': {
    endpoints: ['POST /api/pathways/:id/events', 'GET /api/inbox'],
    what: 'act on a case (the machine then checks the role each action needs); what waits for me',
  },
  'case.list': { endpoints: ['GET /api/pathways', 'POST /api/pathways/search', 'GET /api/stuck', 'GET /api/stats'], what: 'list cases and their figures, find a citizen by CPR number' },
  'facility.board': {
    endpoints: ['GET /api/facilities', 'GET /api/facilities.csv'],
    what: 'the occupancy board (citizens outside scope without id, name or priority)',
  },
  'reports.read': { endpoints: ['GET /api/reports', 'GET /api/reports.csv'], what: 'evaluation reports (counts, no person)' },
  'registry.write': {
    endpoints: ['PUT /api/teams/:id', 'PUT /api/facilities/registry/:id', 'PUT /api/partners/:id'],
    what: 'manage teams, facilities and partners (reading the active ones is everyone’s)',
  },
  'accounts.manage': {
    endpoints: ['DELETE /api/sessions/:accountId', 'DELETE /api/sign-in-failures/:accountId'],
    what: 'end a person’s sessions, lift a sign-in delay',
  },
  'access-log.case': {
    endpoints: ['GET /api/pathways/:id/access-log', 'GET /api/pathways/:id/access-log.json', 'GET /api/pathways/:id/access-log.csv'],
    what: 'who read or acted on a case, for its supervisors and a citizen’s access request',
  },
  'access-log.all': { endpoints: ['GET /api/access-log', 'GET /api/access-log/verify'], what: 'the whole access log and its chain check' },
  'codec.decode': { endpoints: ['POST /api/codec/decode'], what: 'decrypt payloads in the Temporal Web UI: every pathway’s data' },
  'codec.encode': { endpoints: ['POST /api/codec/encode'], what: 'encrypt payloads (the Web UI’s write actions, off by default)' },
} as const;
export type Capability = keyof typeof capabilities;

export const staffRoles = ['coordinator', 'supervisor', 'peer', 'municipal-reader', 'admin', 'privacy-officer'] as const satisfies readonly StaffRole[];

/**
 * The matrix. Admins see no clinical content and the privacy officer only the access log. A peer
 * worker sees the plan and their own contacts on the cases they are attached to (`viewFor`).
 */
const matrix: Record<StaffRole, Partial<Record<Capability, Scope>>> = {
  coordinator: { 'case.start': 'teams', 'case.read': 'teams', 'case.act': 'teams', 'case.list': 'teams', 'facility.board': 'teams', 'reports.read': 'teams' },
  supervisor: {
    'case.start': 'teams',
    'case.read': 'teams',
    'case.act': 'teams',
    'case.list': 'teams',
    'facility.board': 'teams',
    'reports.read': 'teams',
    'access-log.case': 'teams',
  },
  peer: { 'case.read': 'attached', 'case.act': 'attached', 'case.list': 'attached' },
  'municipal-reader': { 'case.read': 'all', 'case.list': 'all', 'facility.board': 'all', 'reports.read': 'all', 'codec.decode': 'all' },
  admin: { 'registry.write': 'all', 'accounts.manage': 'all', 'codec.encode': 'all' },
  'privacy-officer': { 'access-log.case': 'all', 'access-log.all': 'all' },
};

/** How far `actor` may use `capability`; null where they may not at all. */
export function scopeOf(actor: Pick<Actor, 'role'>, capability: Capability): Scope | null {
  return actor.role === 'system' ? null : (matrix[actor.role][capability] ?? null);
}

/** The teams a case concerns: the one responsible, and the one a pending handoff asks to take it. */
export interface CaseTeams {
  responsibleTeam: string;
  handoffTo?: string | null;
  /** The peer workers who may see it now (machines/circle.ts, `activePeers`). */
  peers?: readonly string[];
}

/** Whether `capability` reaches this case for `actor`. */
export function mayReach(actor: Actor, capability: Capability, c: CaseTeams): boolean {
  const scope = scopeOf(actor, capability);
  if (scope === 'all') return true;
  if (scope === null) return false;
  if (scope === 'attached') return c.peers?.includes(actor.id) === true;
  return actor.teams.includes(c.responsibleTeam) || (c.handoffTo != null && actor.teams.includes(c.handoffTo));
}

/** What of a case's trail a peer worker reads: the plan's entries and what they did themselves, no clinical notes. */
const planEntries = new Set(['pathway.start', 'goal.add', 'goal.review', 'goal.close', 'review.yearly']);
export function trailFor<E extends { type: string; by: { id: string } }>(actor: Pick<Actor, 'id' | 'role'>, entries: readonly E[]): E[] {
  return actor.role === 'peer' ? entries.filter((e) => planEntries.has(e.type) || e.by.id === actor.id) : [...entries];
}

/** The matrix as the Markdown table docs/authorization.md carries. */
export function matrixTable(): string {
  const head = `| capability | endpoints | ${staffRoles.join(' | ')} |`;
  const rule = `|---|---|${staffRoles.map(() => '---').join('|')}|`;
  const rows = (Object.keys(capabilities) as Capability[]).map((cap) => {
    const cells = staffRoles.map((r) => {
      const scope = matrix[r][cap];
      return scope ? { teams: 'own teams', attached: 'attached cases', all: 'all' }[scope] : '–';
    });
    return `| ${cap}: ${capabilities[cap].what} | ${capabilities[cap].endpoints.map((e) => `\`${e}\``).join('<br>')} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}
