import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { describeIssues, TeamIdSchema } from '../machines';
import { ConfigError } from '../config/env';

/**
 * Who gets a team's notices: coordinators for reminders, supervisors for escalations.
 * A JSON file (TEAM_DIRECTORY_PATH) maps opaque team ids to staff e-mail addresses; only
 * staff addresses live here, never citizens'.
 */
export const TeamDirectorySchema = z.object({
  teams: z.record(
    TeamIdSchema,
    z.object({
      language: z.enum(['da', 'en']).default('da'),
      coordinators: z.array(z.email()).default([]),
      supervisors: z.array(z.email()).default([]),
    }),
  ),
});
export type TeamDirectory = z.infer<typeof TeamDirectorySchema>;

export function loadTeamDirectory(path: string): TeamDirectory {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read the team directory at ${path}: ${(err as Error).message}`);
  }
  const parsed = TeamDirectorySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(`bad team directory ${path}: ${describeIssues(parsed.error)}`);
  }
  return parsed.data;
}
