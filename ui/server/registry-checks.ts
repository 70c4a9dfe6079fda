import type { Command } from '../../machines';
import { getPartner, unknownFacility, unknownPartner, unknownTeam, type Records, type RegistryRefusal } from '../../records';
import { HttpError } from './errors';

/** What the registry holds that a command names. */
export interface Named {
  teams: string[];
  facility?: string;
  partner?: string;
}

/** The teams, facility and partner a command names (a handoff's receiver, a waitlist's facility, a request's partner). */
export function namedIn(command: Command): Named {
  switch (command.type) {
    case 'referral.request':
    case 'assessment.outcome':
    case 'discharge.request':
      return { teams: command.toTeam ? [command.toTeam] : [] };
    case 'pathway.reassign':
      return { teams: [command.toTeam] };
    case 'waitlist.join':
      return { teams: [], facility: command.facilityId };
    case 'partner.request':
      return { teams: [], partner: command.partnerId };
    default:
      return { teams: [] };
  }
}

const refuse = (r: RegistryRefusal) => {
  switch (r.key) {
    case 'unknown-team':
      return new HttpError(409, r.key, `no active team ${r.params.team} in the registry`, r.params);
    case 'unknown-facility':
      return new HttpError(409, r.key, `no active facility ${r.params.facility} in the registry`, r.params);
    case 'unknown-partner':
      return new HttpError(409, r.key, `no active partner ${r.params.partner} in the registry`, r.params);
  }
};

/**
 * Refuses (409 `unknown-team` / `unknown-facility` / `unknown-partner`) a command naming a team,
 * facility or partner the registry does not hold as active, before it reaches the pathway:
 * nothing is ever created from a mistyped id.
 */
export async function checkNamed(records: Records, named: Named): Promise<void> {
  const refusal =
    (await unknownTeam(records.db, named.teams)) ??
    (named.facility === undefined ? null : await unknownFacility(records.db, named.facility)) ??
    (named.partner === undefined ? null : await unknownPartner(records.db, named.partner));
  if (refusal) throw refuse(refusal);
}

/**
 * A `partner.request` with the partner's registered response time: the agreement binds, not
 * what the client sent. Other commands unchanged. Call after `checkNamed`.
 */
export async function stampPartner(records: Records, command: Command): Promise<Command> {
  if (command.type !== 'partner.request') return command;
  const partner = await getPartner(records.db, command.partnerId);
  if (!partner) throw refuse({ key: 'unknown-partner', params: { partner: command.partnerId } });
  return { ...command, responseDays: partner.responseDays };
}
