/**
 * `npm run account -- <id> <role> <team,team> "<name>"`: adds or replaces a local account in
 * ACCOUNTS_PATH (default data/accounts.json). The password comes from ACCOUNT_PASSWORD or is
 * asked for; only its scrypt hash is stored.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { describeIssues } from '../machines';
import { AccountSchema, AccountsFileSchema, type Account } from '../ui/server/accounts';
import { hashPassword } from '../ui/server/passwords';
import { loadApiSettings } from '../ui/server/settings';

const [id, role, teams = '', name = id] = process.argv.slice(2);
if (!id || !role) {
  console.error('usage: npm run account -- <id> <coordinator|supervisor|admin> <team,team> "<name>"');
  process.exit(2);
}
const { ACCOUNTS_PATH: path } = loadApiSettings();
let password = process.env.ACCOUNT_PASSWORD;
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  password = await rl.question(`password for ${id}: `);
  rl.close();
}
if (password.length < 10) {
  console.error('use a password of at least 10 characters');
  process.exit(2);
}
const parsed = AccountSchema.safeParse({ id, name, role, teams: teams.split(',').filter(Boolean), passwordHash: await hashPassword(password) });
if (!parsed.success) {
  console.error(describeIssues(parsed.error, '\n'));
  process.exit(2);
}
const accounts: Account[] = existsSync(path) ? AccountsFileSchema.parse(JSON.parse(readFileSync(path, 'utf8'))).accounts : [];
mkdirSync(dirname(path), { recursive: true });
writeFileSync(path, JSON.stringify({ accounts: [...accounts.filter((a) => a.id !== id), parsed.data] }, null, 2), { mode: 0o600 });
console.log(`account ${id} (${role}) saved in ${path}`);
