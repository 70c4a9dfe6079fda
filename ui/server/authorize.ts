import { scopeOf, type Actor, type Capability, type Scope } from '../../machines';
import { HttpError } from './errors';

/**
 * The API's side of machines/authorization.ts: the matrix decides, these turn its answer into an
 * HTTP answer. One case outside scope is 404 (pathway-lookup.ts); a capability the role lacks, 403.
 */

/** `a`'s scope for `capability`, or 403. */
export function requireScope(a: Actor, capability: Capability): Scope {
  const scope = scopeOf(a, capability);
  if (scope === null) throw new HttpError(403, 'forbidden', `your role (${a.role}) does not cover ${capability}`);
  return scope;
}

/** The teams a `team` filter may name: 403 for a team outside a `teams` scope. */
export function checkTeamFilter(a: Actor, scope: Scope, team: string | undefined): void {
  if (team !== undefined && scope === 'teams' && !a.teams.includes(team)) throw new HttpError(403, 'not-in-team', `you are not in team ${team}`, { team });
}

export const quote = (s: string) => `'${s}'`; // values are validated opaque ids: no quote can appear in them

/** `attribute IN (teams)`; '-' keeps the clause valid for a person in no team. */
export const inTeams = (attribute: string, teams: readonly string[]) => `${attribute} IN (${[...teams, '-'].map(quote).join(', ')})`;

/** Visibility clauses for a listing under `capability`: the person's teams, the cases a peer worker is attached to, or none for `all`. */
export function scopeClauses(a: Actor, capability: Capability): string[] {
  const scope = requireScope(a, capability);
  return scope === 'all' ? [] : scope === 'attached' ? [`PathwayPeers = ${quote(a.id)}`] : [inTeams('PathwayTeam', a.teams)];
}
