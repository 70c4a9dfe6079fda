import { existsSync, readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { describeIssues, RoleSchema, StaffIdSchema, TeamIdSchema, type Actor } from '../../machines';
import { ConfigError } from '../../config/env';

/**
 * Local accounts for the embedded default: a JSON file with salted scrypt hashes
 * (`npm run account` writes entries). Single sign-on would replace `authenticate` only.
 */
export const AccountSchema = z.object({
  id: StaffIdSchema,
  /** Shown to colleagues; staff names are not citizen data. */
  name: z.string().min(1).max(200),
  role: RoleSchema.exclude(['system']),
  teams: z.array(TeamIdSchema).default([]),
  passwordHash: z.string().startsWith('scrypt$'),
  language: z.enum(['da', 'en']).optional(),
});
export const AccountsFileSchema = z.object({ accounts: z.array(AccountSchema) });
export type Account = z.infer<typeof AccountSchema>;

export function loadAccounts(path: string): Account[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read the accounts file at ${path}: ${(err as Error).message}`);
  }
  const parsed = AccountsFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`bad accounts file ${path}: ${describeIssues(parsed.error)}`);
  const ids = parsed.data.accounts.map((a) => a.id);
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup) throw new ConfigError(`bad accounts file ${path}: account ${dup} appears twice`);
  return parsed.data.accounts;
}

export const actorOf = (a: Account): Actor => ({ id: a.id, role: a.role, teams: a.teams });

/** Accounts from `path`, read again whenever the file changes (so `npm run account` needs no restart). */
export function watchedAccounts(path: string): () => Account[] {
  let seen = -1;
  let accounts: Account[] = [];
  return () => {
    const mtime = existsSync(path) ? statSync(path).mtimeMs : 0;
    if (mtime !== seen) {
      accounts = mtime ? loadAccounts(path) : [];
      seen = mtime;
    }
    return accounts;
  };
}
