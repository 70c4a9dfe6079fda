import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { OpaqueIdSchema } from '../machines/events';
import type { Database, FacilitiesTable, TeamsTable } from './schema';

/** The registry of teams and facilities: what commands that name one are checked against. */

export const TeamSchema = z.object({
  id: OpaqueIdSchema,
  name: z.string().trim().min(1).max(200),
  language: z.enum(['da', 'en']),
  coordinators: z.array(z.email()),
  supervisors: z.array(z.email()),
  active: z.boolean(),
});
export type Team = z.infer<typeof TeamSchema>;

export const FacilitySchema = z.object({
  id: OpaqueIdSchema,
  name: z.string().trim().min(1).max(200),
  capacity: z.number().int().min(0).max(10_000),
  active: z.boolean(),
});
export type Facility = z.infer<typeof FacilitySchema>;

export async function upsertTeam(db: Kysely<Database>, team: Team): Promise<void> {
  const t = TeamSchema.parse(team);
  const changes = { name: t.name, language: t.language, coordinator_emails: t.coordinators, supervisor_emails: t.supervisors, active: t.active };
  await db
    .insertInto('teams')
    .values({ id: t.id, ...changes })
    .onConflict((oc) => oc.column('id').doUpdateSet(changes))
    .execute();
}

export async function getTeam(db: Kysely<Database>, id: string): Promise<Team | null> {
  const row = await db.selectFrom('teams').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTeam(row) : null;
}

export async function listTeams(db: Kysely<Database>, o: { activeOnly?: boolean } = {}): Promise<Team[]> {
  let q = db.selectFrom('teams').selectAll();
  if (o.activeOnly) q = q.where('active', '=', true);
  return (await q.orderBy('id').execute()).map(toTeam);
}

/** Teams are never deleted: closed pathways and reports still name them. False if unknown. */
export async function deactivateTeam(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db.updateTable('teams').set({ active: false }).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function upsertFacility(db: Kysely<Database>, facility: Facility): Promise<void> {
  const f = FacilitySchema.parse(facility);
  const changes = { name: f.name, capacity: f.capacity, active: f.active };
  await db
    .insertInto('facilities')
    .values({ id: f.id, ...changes })
    .onConflict((oc) => oc.column('id').doUpdateSet(changes))
    .execute();
}

export async function getFacility(db: Kysely<Database>, id: string): Promise<Facility | null> {
  const row = await db.selectFrom('facilities').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toFacility(row) : null;
}

export async function listFacilities(db: Kysely<Database>, o: { activeOnly?: boolean } = {}): Promise<Facility[]> {
  let q = db.selectFrom('facilities').selectAll();
  if (o.activeOnly) q = q.where('active', '=', true);
  return (await q.orderBy('id').execute()).map(toFacility);
}

/** Facilities are never deleted, for the same reason as teams. False if unknown. */
export async function deactivateFacility(db: Kysely<Database>, id: string): Promise<boolean> {
  const r = await db.updateTable('facilities').set({ active: false }).where('id', '=', id).executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

const toTeam = (r: Selectable<TeamsTable>): Team => ({
  id: r.id,
  name: r.name,
  language: r.language,
  coordinators: r.coordinator_emails,
  supervisors: r.supervisor_emails,
  active: r.active,
});

const toFacility = (r: Selectable<FacilitiesTable>): Facility => ({ id: r.id, name: r.name, capacity: r.capacity, active: r.active });

/** Why a named team, facility or partner (records/partners.ts) is refused: not registered, or deactivated. */
export type RegistryRefusal =
  | { key: 'unknown-team'; params: { team: string } }
  | { key: 'unknown-facility'; params: { facility: string } }
  | { key: 'unknown-partner'; params: { partner: string } };

/** The first of `ids` that is not a registered, active team; null when all are. */
export async function unknownTeam(db: Kysely<Database>, ids: readonly string[]): Promise<RegistryRefusal | null> {
  if (ids.length === 0) return null;
  const rows = await db.selectFrom('teams').select('id').where('id', 'in', [...ids]).where('active', '=', true).execute();
  const known = new Set(rows.map((r) => r.id));
  const missing = ids.find((id) => !known.has(id));
  return missing === undefined ? null : { key: 'unknown-team', params: { team: missing } };
}

/** Null when `id` is a registered, active facility; else the refusal. */
export async function unknownFacility(db: Kysely<Database>, id: string): Promise<RegistryRefusal | null> {
  const f = await getFacility(db, id);
  return f?.active ? null : { key: 'unknown-facility', params: { facility: id } };
}
