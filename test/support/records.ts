import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openRecords, type Records } from '../../records';

/** Where the suite's migrated empty store lies (made once by test/global-setup.ts); none outside vitest. */
function template(): string | undefined {
  try {
    return inject('recordsTemplate');
  } catch {
    return undefined;
  }
}

/**
 * A record store of its own on PGlite, in a fresh temporary folder. Creating a PGlite cluster
 * takes seconds; copying the suite's migrated template takes milliseconds.
 */
export async function testRecords(): Promise<Records> {
  const dataDir = mkdtempSync(join(tmpdir(), 'records-'));
  const from = template();
  if (from) cpSync(from, dataDir, { recursive: true, filter: (src) => !src.endsWith('/lock') });
  return openRecords({ dataDir });
}

let shared: Promise<Records> | undefined;
/** One store per test file, for workers and apps that do not bring their own. */
export const fileRecords = (): Promise<Records> => (shared ??= testRecords());
