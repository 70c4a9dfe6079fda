import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { OpaqueIdSchema } from '../machines/events';
import { getTeam, upsertTeam } from './reference-data';
import type { Database } from './schema';

/**
 * The team-directory file's shape (TEAM_DIRECTORY_PATH, activities/directory.ts), repeated
 * here because that module pulls in the machines and the worker's configuration.
 */
const TeamDirectoryFileSchema = z.object({
  teams: z.record(
    OpaqueIdSchema,
    z.object({
      language: z.enum(['da', 'en']).default('da'),
      coordinators: z.array(z.email()).default([]),
      supervisors: z.array(z.email()).default([]),
    }),
  ),
});

export class TeamDirectoryImportError extends Error {
  override name = 'TeamDirectoryImportError';
}

/**
 * Imports a team directory into the registry, in one transaction: every team in it is
 * written and active; a team already registered keeps its name (the file has none, so a new
 * one is named by its id). Teams not in the file are left alone. Returns the ids imported.
 */
export async function importTeamDirectory(db: Kysely<Database>, directory: unknown): Promise<string[]> {
  const parsed = TeamDirectoryFileSchema.safeParse(directory);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new TeamDirectoryImportError(`bad team directory: ${first?.path.join('.') || '(root)'}: ${first?.message}`);
  }
  const entries = Object.entries(parsed.data.teams).sort(([a], [b]) => a.localeCompare(b));
  await db.transaction().execute(async (tx) => {
    for (const [id, t] of entries) {
      const name = (await getTeam(tx, id))?.name ?? id;
      await upsertTeam(tx, { id, name, language: t.language, coordinators: t.coordinators, supervisors: t.supervisors, active: true });
    }
  });
  return entries.map(([id]) => id);
}

export async function importTeamDirectoryFile(db: Kysely<Database>, path: string): Promise<string[]> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new TeamDirectoryImportError(`cannot read the team directory at ${path}: ${(err as Error).message}`);
  }
  return importTeamDirectory(db, raw);
}
