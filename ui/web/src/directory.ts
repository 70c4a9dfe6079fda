import { useEffect, useState } from 'react';
import { api } from './api';

/** Team and staff names by id, loaded once per page load; an id without a name shows as itself. */
type Names = { team: (id: string) => string; staff: (id: string) => string };
let loaded: Promise<{ teams: Map<string, string>; staff: Map<string, string> }> | null = null;
const load = () =>
  (loaded ??= api.directory().then(
    (d) => ({ teams: new Map(d.teams.map((t) => [t.id, t.name])), staff: new Map(d.staff.map((s) => [s.id, s.name])) }),
    () => ((loaded = null), { teams: new Map<string, string>(), staff: new Map<string, string>() }),
  ));

export function useDirectory(): Names {
  const [maps, setMaps] = useState<{ teams: Map<string, string>; staff: Map<string, string> } | null>(null);
  useEffect(() => {
    let live = true;
    void load().then((m) => live && setMaps(m));
    return () => {
      live = false;
    };
  }, []);
  return { team: (id) => maps?.teams.get(id) ?? id, staff: (id) => maps?.staff.get(id) ?? id };
}
