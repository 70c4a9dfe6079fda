/**
 * A string matching `pattern`, as a zod refinement: `z.string().refine(matches(re), message)`.
 * Not zod's `.regex()`: its check resets the pattern's `lastIndex` on every parse, and the
 * worker freezes the schemas it shares between workflows (workflows/shared-modules.ts), so a
 * pattern held by a schema could not be written. In this closure the freeze cannot reach it.
 */
export const matches =
  (pattern: RegExp) =>
  (s: string): boolean =>
    pattern.test(s);
