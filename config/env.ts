/** Configuration helpers shared by the worker, activities, API and scripts; they depend on none of them. */
import type { z } from 'zod';
import { describeIssues } from '../machines/issues';

/** Configuration that cannot work: start-up stops with this message and nothing else. */
export class ConfigError extends Error {}

/** Parses the variables `schema` names from `env` (empty counts as unset), or throws a ConfigError naming each bad one. */
export function parseEnv<S extends z.ZodObject>(schema: S, env: Record<string, string | undefined>, what: string): z.infer<S> {
  const known = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, env[k] || undefined]));
  const result = schema.safeParse(known);
  if (!result.success) throw new ConfigError(`invalid ${what}:\n  ${describeIssues(result.error, '\n  ')}`);
  return result.data;
}
