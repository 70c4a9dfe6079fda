import { resolve } from 'node:path';
import { z } from 'zod';
import { parseEnv } from '../config/env';
import type { RecordsTarget } from './open';

const RecordsSettingsSchema = z.object({
  /** A PostgreSQL server; without it the records live in an embedded PGlite folder under DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'expected postgres://user:password@host:5432/database')
    .optional(),
  DATA_DIR: z.string().min(1).default('data'),
});

/** Where the record store is, from the environment: `DATABASE_URL`, else `DATA_DIR/records`. */
export function recordsTargetOf(env: Record<string, string | undefined> = process.env): RecordsTarget {
  const s = parseEnv(RecordsSettingsSchema, env, 'record store configuration');
  return s.DATABASE_URL ? { databaseUrl: s.DATABASE_URL } : { dataDir: resolve(s.DATA_DIR, 'records') };
}

/** Where the records are, for a start-up line: never the password of a DATABASE_URL. */
export const describeTarget = (t: RecordsTarget) =>
  'dataDir' in t ? `embedded PostgreSQL (PGlite) in ${t.dataDir}` : `PostgreSQL at ${new URL(t.databaseUrl).host}`;
