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
  /** Minutes a session may go unused before it ends. */
  SESSION_IDLE_MINUTES: z.coerce.number().positive().max(24 * 60).default(30),
  /** Hours after sign-in that a session ends, however much it is used. */
  SESSION_MAX_HOURS: z.coerce.number().positive().max(7 * 24).default(10),
  /**
   * Proxies whose X-Forwarded-For/-Proto/-Host count: unset trusts none; a number trusts that many
   * hops nearest the server; otherwise comma-separated addresses or CIDR ranges (10.0.0.0/8).
   */
  TRUST_PROXY: z
    .string()
    .transform((v, ctx) => {
      if (/^\d+$/.test(v.trim())) return Number(v.trim());
      const list = v.split(',').map((x) => x.trim()).filter(Boolean);
      if (list.length === 0 || list.some((x) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(x))) {
        ctx.addIssue({ code: 'custom', message: 'a hop count, or comma-separated addresses or CIDR ranges' });
        return z.NEVER;
      }
      return list;
    })
    .optional(),
  /** Base64, at least 32 bytes: the key CPR numbers are hashed under; without it one is generated once and kept in data/cpr-hash-key. */
  CPR_HASH_KEY: z
    .string()
    .refine((s) => Buffer.from(s, 'base64').length >= 32, 'base64 of at least 32 bytes')
    .optional(),
  /** Request logs, as JSON lines on stdout; `silent` turns them off. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prometheus sends it as `Authorization: Bearer <token>` to GET /metrics; without it /metrics is open. */
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
});
export type ApiSettings = z.infer<typeof ApiSettingsSchema>;

export function loadApiSettings(env: Record<string, string | undefined> = process.env): ApiSettings {
  return parseEnv(ApiSettingsSchema, env, 'configuration');
}

/** A secret from the environment, or else made once and kept in `data/<file>`. */
function keptSecret(given: string | undefined, s: ApiSettings, file: string, encoding: 'base64url' | 'base64'): string {
  if (given) return given;
  const path = resolve(s.DATA_DIR, file);
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  mkdirSync(dirname(path), { recursive: true });
  const secret = randomBytes(32).toString(encoding);
  writeFileSync(path, secret, { mode: 0o600 });
  return secret;
}

/** The session secret, kept across restarts so sign-ins survive them. */
export const sessionSecret = (s: ApiSettings): string => keptSecret(s.SESSION_SECRET, s, 'session-secret', 'base64url');

/** The key CPR numbers are hashed under: every API process of a deployment must share it, and keep it (a new key finds nothing). */
export const cprHashKey = (s: ApiSettings): Buffer => Buffer.from(keptSecret(s.CPR_HASH_KEY, s, 'cpr-hash-key', 'base64'), 'base64');
