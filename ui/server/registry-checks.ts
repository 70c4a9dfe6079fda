import type { Command } from '../../machines';
import { unknownFacility, unknownTeam, type Records, type RegistryRefusal } from '../../records';
import { HttpError } from './errors';

/** The teams and the facility a command names (a handoff's receiver, a waitlist's facility). */
export function namedIn(command: Command): { teams: string[]; facility?: string } {
  switch (command.type) {
    case 'referral.request':
    case 'assessment.outcome':
    case 'discharge.request':
      return { teams: command.toTeam ? [command.toTeam] : [] };
    case 'pathway.reassign':
      return { teams: [command.toTeam] };
    case 'waitlist.join':
      return { teams: [], facility: command.facilityId };
    default:
      return { teams: [] };
  }
}

const refuse = (r: RegistryRefusal) =>
  r.key === 'unknown-team'
    ? new HttpError(409, r.key, `no active team ${r.params.team} in the registry`, r.params)
    : new HttpError(409, r.key, `no active facility ${r.params.facility} in the registry`, r.params);

/**
 * Refuses (409 `unknown-team` / `unknown-facility`) a command naming a team or facility the
 * registry does not hold as active, before it reaches the pathway: nothing is ever created
 * from a mistyped id.
 */
export async function checkNamed(records: Records, named: { teams: string[]; facility?: string }): Promise<void> {
  const refusal = (await unknownTeam(records.db, named.teams)) ?? (named.facility === undefined ? null : await unknownFacility(records.db, named.facility));
  if (refusal) throw refuse(refusal);
}
