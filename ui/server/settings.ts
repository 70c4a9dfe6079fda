import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseEnv } from '../../config/env';

/** API settings from the environment. */
export const ApiSettingsSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  ACCOUNTS_PATH: z.string().min(1).default('data/accounts.json'),
  /** At least 32 characters; without it one is generated once and kept in data/session-secret. */
  SESSION_SECRET: z.string().min(32).optional(),
  DATA_DIR: z.string().min(1).default('data'),
  /** Request logs, as JSON lines on stdout; `silent` turns them off. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type ApiSettings = z.infer<typeof ApiSettingsSchema>;

export function loadApiSettings(env: Record<string, string | undefined> = process.env): ApiSettings {
  return parseEnv(ApiSettingsSchema, env, 'configuration');
}

/** The session secret, kept across restarts so sign-ins survive them. */
export function sessionSecret(s: ApiSettings): string {
  if (s.SESSION_SECRET) return s.SESSION_SECRET;
  const path = resolve(s.DATA_DIR, 'session-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}
