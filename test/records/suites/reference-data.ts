import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  deactivateFacility,
  deactivateTeam,
  getFacility,
  getTeam,
  importTeamDirectory,
  importTeamDirectoryFile,
  listFacilities,
  listTeams,
  upsertFacility,
  upsertTeam,
  type Team,
} from '../../../records';
import { uniqueId, type StoreRef } from './context';

const team = (o: Partial<Team> = {}): Team => ({
  id: uniqueId('team'),
  name: 'Team North',
  language: 'da',
  coordinators: ['k1@example.org', 'k2@example.org'],
  supervisors: ['s1@example.org'],
  active: true,
  ...o,
});

export function referenceDataSuite(store: StoreRef) {
  describe('teams and facilities', () => {
    test('a team is written, updated in place and read back; unknown ids read as null', async () => {
      const { db } = store();
      const t = team();
      await upsertTeam(db, t);
      await upsertTeam(db, t);
      const renamed = { ...t, name: 'Team North-West', language: 'en' as const, supervisors: [] };
      await upsertTeam(db, renamed);
      expect(await getTeam(db, t.id)).toEqual(renamed);
      expect((await listTeams(db)).filter((x) => x.id === t.id)).toEqual([renamed]);
      expect(await getTeam(db, uniqueId('unknown'))).toBeNull();
    });

    test('a deactivated team stays readable but leaves the active list', async () => {
      const { db } = store();
      const t = team();
      await upsertTeam(db, t);
      expect(await deactivateTeam(db, t.id)).toBe(true);
      expect(await getTeam(db, t.id)).toEqual({ ...t, active: false });
      expect((await listTeams(db, { activeOnly: true })).map((x) => x.id)).not.toContain(t.id);
      expect((await listTeams(db)).map((x) => x.id)).toContain(t.id);
      expect(await deactivateTeam(db, uniqueId('unknown'))).toBe(false);
    });

    test('bad team or facility data is refused with the field, and nothing is written', async () => {
      const { db } = store();
      const badEmail = team({ coordinators: ['not-an-address'] });
      await expect(upsertTeam(db, badEmail)).rejects.toThrow(/coordinators/);
      expect(await getTeam(db, badEmail.id)).toBeNull();
      await expect(upsertTeam(db, team({ id: '010190-1234' }))).rejects.toThrow(/personal ID number/);
      const id = uniqueId('fac');
      await expect(upsertFacility(db, { id, name: 'X', capacity: -1, active: true })).rejects.toThrow(/capacity/);
      expect(await getFacility(db, id)).toBeNull();
    });

    test('a facility is written, updated, listed and deactivated', async () => {
      const { db } = store();
      const f = { id: uniqueId('fac'), name: 'Care place North', capacity: 2, active: true };
      await upsertFacility(db, f);
      await upsertFacility(db, { ...f, capacity: 3 });
      expect(await getFacility(db, f.id)).toEqual({ ...f, capacity: 3 });
      expect((await listFacilities(db, { activeOnly: true })).map((x) => x.id)).toContain(f.id);
      expect(await deactivateFacility(db, f.id)).toBe(true);
      expect((await listFacilities(db, { activeOnly: true })).map((x) => x.id)).not.toContain(f.id);
      expect(await getFacility(db, f.id)).toEqual({ ...f, capacity: 3, active: false });
      expect(await deactivateFacility(db, uniqueId('unknown'))).toBe(false);
    });

    test('the team-directory file imports as active teams; a registered name is kept', async () => {
      const { db } = store();
      const [known, fresh] = [uniqueId('team'), uniqueId('team')];
      await upsertTeam(db, team({ id: known, name: 'Known by name', active: false }));
      const dir = mkdtempSync(join(tmpdir(), 'records-dir-'));
      const path = join(dir, 'teams.json');
      writeFileSync(path, JSON.stringify({ teams: { [known]: { language: 'en', supervisors: ['boss@example.org'] }, [fresh]: { coordinators: ['c@example.org'] } } }));
      expect(await importTeamDirectoryFile(db, path)).toEqual([known, fresh].sort());
      expect(await getTeam(db, known)).toEqual({ id: known, name: 'Known by name', language: 'en', coordinators: [], supervisors: ['boss@example.org'], active: true });
      expect(await getTeam(db, fresh)).toEqual({ id: fresh, name: fresh, language: 'da', coordinators: ['c@example.org'], supervisors: [], active: true });
    });

    test('a bad directory is refused whole, naming the field, and writes no team', async () => {
      const { db } = store();
      const [ok, bad] = [uniqueId('team'), uniqueId('team')];
      await expect(importTeamDirectory(db, { teams: { [ok]: {}, [bad]: { coordinators: ['nope'] } } })).rejects.toThrow(
        new RegExp(`bad team directory: teams\\.${bad}\\.coordinators\\.0`),
      );
      expect(await getTeam(db, ok)).toBeNull();
      await expect(importTeamDirectoryFile(db, '/nonexistent/teams.json')).rejects.toThrow(/cannot read the team directory/);
    });
  });
}
