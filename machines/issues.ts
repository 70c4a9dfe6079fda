import type { z } from 'zod';

/** A zod error as one line a person can act on: each bad field and what is wrong with it. */
export function describeIssues(error: z.ZodError, separator = '; '): string {
  return error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join(separator);
}
