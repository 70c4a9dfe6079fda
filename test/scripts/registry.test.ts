import { afterAll, describe, expect, it } from 'vitest';
import { getFacility, getTeam } from '../../records';
import { registryCommand } from '../../scripts/registry-commands';
import { testRecords } from '../support/records';

/** `npm run registry -- …` on a store of its own; the Temporal side of a capacity change is stood in by a recorder. */
describe('the registry command', async () => {
  const records = await testRecords();
  afterAll(() => records.close());
  const changed: [string, number][] = [];
  const run = (...args: string[]) => registryCommand(args, { records, capacityChanged: async (id, c) => (changed.push([id, c]), `applied ${c}`) });

  it('adds, lists and deactivates teams', async () => {
    expect(await run('teams', 'add', 'north', 'Team North', 'en', 'a@x.dk,b@x.dk', 'boss@x.dk')).toEqual(['team north (Team North) registered']);
    expect(await getTeam(records.db, 'north')).toEqual({ id: 'north', name: 'Team North', language: 'en', coordinators: ['a@x.dk', 'b@x.dk'], supervisors: ['boss@x.dk'], active: true });
    expect(await run('teams', 'list')).toEqual(['north\tTeam North\ten\tactive\tcoordinators: a@x.dk,b@x.dk\tsupervisors: boss@x.dk']);
    expect(await run('teams', 'deactivate', 'north')).toEqual(['team north deactivated: commands naming it are refused from now on']);
    expect((await getTeam(records.db, 'north'))?.active).toBe(false);
  });

  it('adds facilities, and tells a running one of a changed capacity', async () => {
    expect(await run('facilities', 'add', 'skovvang', 'Skovvang', '2')).toEqual(['facility skovvang (Skovvang, 2 places) registered']);
    expect(changed).toEqual([]);
    expect(await run('facilities', 'add', 'skovvang', 'Skovvang', '4')).toEqual(['facility skovvang (Skovvang, 4 places) registered', 'applied 4']);
    expect(changed).toEqual([['skovvang', 4]]);
    expect(await run('facilities', 'list')).toEqual(['skovvang\tSkovvang\t4 places\tactive']);
  });

  it('refuses bad input with the reason and writes nothing', async () => {
    await expect(run('facilities', 'add', 'lindely', 'Lindely', 'two')).rejects.toThrow(/capacity/);
    expect(await getFacility(records.db, 'lindely')).toBeNull();
    await expect(run('teams', 'add', 'south', 'South', 'da', 'not-an-address')).rejects.toThrow(/coordinators/);
    expect(await getTeam(records.db, 'south')).toBeNull();
    await expect(run('teams', 'deactivate', 'nowhere')).rejects.toThrow(/no team nowhere/);
    await expect(run('teams', 'remove', 'x')).rejects.toThrow(/usage: npm run registry/);
  });
});
