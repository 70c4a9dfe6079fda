import { describeIssues } from '../machines';
import { deactivateFacility, deactivateTeam, FacilitySchema, getFacility, listFacilities, listTeams, TeamSchema, upsertFacility, upsertTeam, type Records } from '../records';

export const registryUsage = [
  'usage: npm run registry -- teams add <id> "<name>" [da|en] [coordinators,…] [supervisors,…]',
  '       npm run registry -- facilities add <id> "<name>" <capacity>',
  '       npm run registry -- teams|facilities list',
  '       npm run registry -- teams|facilities deactivate <id>',
].join('\n');

export class RegistryUsageError extends Error {
  override name = 'RegistryUsageError';
}

const list = (s: string | undefined) => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);

/**
 * One registry command (`npm run registry -- …`) against the store; returns the lines to print.
 * `capacityChanged` tells a running facility its new capacity (the caller knows Temporal).
 */
export async function registryCommand(
  args: readonly string[],
  o: { records: Records; capacityChanged?: (facilityId: string, capacity: number) => Promise<string> },
): Promise<string[]> {
  const [what, verb, id, name, ...rest] = args;
  const { db } = o.records;
  if (what === 'teams' && verb === 'list') {
    return (await listTeams(db)).map((t) => `${t.id}\t${t.name}\t${t.language}\t${t.active ? 'active' : 'inactive'}\tcoordinators: ${t.coordinators.join(',') || '-'}\tsupervisors: ${t.supervisors.join(',') || '-'}`);
  }
  if (what === 'facilities' && verb === 'list') {
    return (await listFacilities(db)).map((f) => `${f.id}\t${f.name}\t${f.capacity} places\t${f.active ? 'active' : 'inactive'}`);
  }
  if (verb === 'deactivate' && id && (what === 'teams' || what === 'facilities')) {
    const found = what === 'teams' ? await deactivateTeam(db, id) : await deactivateFacility(db, id);
    if (!found) throw new RegistryUsageError(`no ${what === 'teams' ? 'team' : 'facility'} ${id} in the registry`);
    return [`${what === 'teams' ? 'team' : 'facility'} ${id} deactivated: commands naming it are refused from now on`];
  }
  if (what === 'teams' && verb === 'add' && id && name) {
    const [language = 'da', coordinators, supervisors] = rest;
    const team = TeamSchema.safeParse({ id, name, language, coordinators: list(coordinators), supervisors: list(supervisors), active: true });
    if (!team.success) throw new RegistryUsageError(describeIssues(team.error, '\n'));
    await upsertTeam(db, team.data);
    return [`team ${id} (${team.data.name}) registered`];
  }
  if (what === 'facilities' && verb === 'add' && id && name && rest[0] !== undefined) {
    const facility = FacilitySchema.safeParse({ id, name, capacity: Number(rest[0]), active: true });
    if (!facility.success) throw new RegistryUsageError(describeIssues(facility.error, '\n'));
    const before = await getFacility(db, id);
    await upsertFacility(db, facility.data);
    const lines = [`facility ${id} (${facility.data.name}, ${facility.data.capacity} places) registered`];
    if (before && before.capacity !== facility.data.capacity && o.capacityChanged) lines.push(await o.capacityChanged(id, facility.data.capacity));
    return lines;
  }
  throw new RegistryUsageError(registryUsage);
}
