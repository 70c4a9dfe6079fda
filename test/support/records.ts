import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openRecords, upsertFacility, upsertTeam, type Records } from '../../records';

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

/** The teams and facilities the suites name, as an administrator would have registered them. */
export const testTeams = ['outreach', 'psychiatry-liaison', 'care-place', 'housing-support', 'elsewhere', 'backup'] as const;
export const testFacilities = ['skovvang', 'lindely', 'elsewhere', 'f', 'return-house', 'care-place-north'] as const;

/** Registers the suites' teams and facilities (with `capacity` places each) in `records`. */
export async function registerTestReferenceData(records: Records, o: { capacity?: number } = {}): Promise<Records> {
  for (const id of testTeams) await upsertTeam(records.db, { id, name: `Team ${id}`, language: 'da', coordinators: [], supervisors: [], active: true });
  for (const id of testFacilities) await registerFacility(records, id, o.capacity ?? 2);
  return records;
}
export const registerFacility = (records: Records, id: string, capacity = 2) => upsertFacility(records.db, { id, name: `Facility ${id}`, capacity, active: true });

let shared: Promise<Records> | undefined;
/** One store per test file, for workers and apps that do not bring their own; the suites' teams and facilities are registered. */
export const fileRecords = (): Promise<Records> => (shared ??= testRecords().then((r) => registerTestReferenceData(r)));
