import { useEffect, useState } from 'react';
import { api, type Directory } from './api';

/** Team and staff names by id, loaded once per page load; an id without a name shows as itself. `people`, `teams`: for pickers. */
export type Names = { team: (id: string) => string; staff: (id: string) => string; people: Directory['staff']; teams: Directory['teams'] };
type Loaded = { teams: Map<string, string>; staff: Map<string, string>; directory: Directory };
let loaded: Promise<Loaded> | null = null;
const load = () =>
  (loaded ??= api.directory().then(
    (d) => ({ teams: new Map(d.teams.map((t) => [t.id, t.name])), staff: new Map(d.staff.map((s) => [s.id, s.name])), directory: d }),
    () => ((loaded = null), { teams: new Map<string, string>(), staff: new Map<string, string>(), directory: { teams: [], staff: [] } }),
  ));

export function useDirectory(): Names {
  const [maps, setMaps] = useState<Loaded | null>(null);
  useEffect(() => {
    let live = true;
    void load().then((m) => live && setMaps(m));
    return () => {
      live = false;
    };
  }, []);
  return {
    team: (id) => maps?.teams.get(id) ?? id,
    staff: (id) => maps?.staff.get(id) ?? id,
    people: maps?.directory.staff ?? [],
    teams: maps?.directory.teams ?? [],
  };
}
