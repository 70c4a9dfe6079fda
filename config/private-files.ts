/**
 * data/ holds the Temporal database (citizens' pathways), the payload keys, the accounts and
 * the session secret: no other local user may read any of it.
 */
import { chmodSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Creates `dir` (and parents) if missing, and makes it 0700 whether new or old. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

/** Makes every file directly in `dir` 0600 (files an older version left readable to all). */
export function tightenFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isFile()) chmodSync(path, 0o600);
  }
}

/** Runs `f` (which starts a child process) with umask 077, so whatever the child creates is its owner's only. */
export function withPrivateUmask<T>(f: () => T): T {
  const previous = process.umask(0o077);
  try {
    return f();
  } finally {
    process.umask(previous);
  }
}
