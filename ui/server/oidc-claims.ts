import { StaffIdSchema, TeamIdSchema } from '../../machines';
import type { OidcSettings, StaffRole } from './oidc-settings';

/** Who signed in, as the session keeps it (the session module's contract). */
export interface Identity {
  id: string;
  name: string;
  role: StaffRole;
  teams: string[];
  source: 'local' | 'oidc';
}

/** Why validated claims give no identity: each becomes a 403 `forbidden` with this reason. */
export type ClaimsRefusal = { refused: 'no-id' | 'no-role'; reason: string };

/** A person in several role groups gets the first of these (roles are kinds of work, not a ladder: see docs/authorization.md). */
const RANK: readonly StaffRole[] = ['admin', 'privacy-officer', 'municipal-reader', 'supervisor', 'coordinator', 'peer'];

/** A claim's values as strings: a string, a list of strings, or a space-separated string are common. */
function values(claims: Record<string, unknown>, name: string): string[] {
  const v = claims[name];
  if (typeof v === 'string') return v.split(/\s+/).filter(Boolean);
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Maps an ID token's claims (already validated) to the person; pure, so tested without a provider. */
export function identityOf(claims: Record<string, unknown>, s: OidcSettings): Identity | ClaimsRefusal {
  const rawId = claims[s.claims.id];
  const id = StaffIdSchema.safeParse(rawId);
  if (!id.success) return { refused: 'no-id', reason: `the "${s.claims.id}" claim is missing or not a usable staff id` };
  const roles = new Set(values(claims, s.claims.role).flatMap((v) => (s.roleMap[v] ? [s.roleMap[v]] : [])));
  const role = RANK.find((r) => roles.has(r));
  if (!role) return { refused: 'no-role', reason: `none of your "${s.claims.role}" values is given a role here` };
  const teamValues = values(claims, s.claims.teams);
  const teams = s.teamMap
    ? teamValues.flatMap((v) => (s.teamMap![v] ? [s.teamMap![v]] : []))
    : teamValues.filter((v) => !(v in s.roleMap) && TeamIdSchema.safeParse(v).success);
  const name = typeof claims[s.claims.name] === 'string' && claims[s.claims.name] ? String(claims[s.claims.name]) : id.data;
  return { id: id.data, name: name.slice(0, 200), role, teams: [...new Set(teams)], source: 'oidc' };
}
