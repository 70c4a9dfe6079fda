import type { Kysely, Selectable } from 'kysely';
import { z } from 'zod';
import { OpaqueIdSchema } from '../machines/events';
import type { RegistryRefusal } from './reference-data';
import type { Database, PartnersTable } from './schema';

/**
 * Partner organisations outside the municipality (regional psychiatry, the housing office, the
 * police) with a binding cooperation agreement: a named contact and an agreed response time.
 * A `partner.request` is checked against them, and carries their registered response time.
 */

export const PartnerKindSchema = z.enum(['region-psychiatry', 'housing-office', 'police', 'other']);

export const PartnerSchema = z.object({
  id: OpaqueIdSchema,
  name: z.string().trim().min(1).max(200),
  kind: PartnerKindSchema,
  contactName: z.string().trim().min(1).max(200),
  contactEmail: z.email().optional(),
  responseDays: z.number().int().min(1).max(90),
  active: z.boolean(),
});
export type Partner = z.infer<typeof PartnerSchema>;

export async function upsertPartner(db: Kysely<Database>, partner: Partner): Promise<void> {
  const p = PartnerSchema.parse(partner);
  const changes = { name: p.name, kind: p.kind, contact_name: p.contactName, contact_email: p.contactEmail ?? null, response_days: p.responseDays, active: p.active };
  await db
    .insertInto('partners')
    .values({ id: p.id, ...changes })
    .onConflict((oc) => oc.column('id').doUpdateSet(changes))
    .execute();
}

export async function getPartner(db: Kysely<Database>, id: string): Promise<Partner | null> {
  const row = await db.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toPartner(row) : null;
}

export async function listPartners(db: Kysely<Database>, o: { activeOnly?: boolean } = {}): Promise<Partner[]> {
  let q = db.selectFrom('partners').selectAll();
  if (o.activeOnly) q = q.where('active', '=', true);
  return (await q.orderBy('id').execute()).map(toPartner);
}

/** Null when `id` is a registered, active partner; else the refusal. */
export async function unknownPartner(db: Kysely<Database>, id: string): Promise<RegistryRefusal | null> {
  const p = await getPartner(db, id);
  return p?.active ? null : { key: 'unknown-partner', params: { partner: id } };
}

const toPartner = (r: Selectable<PartnersTable>): Partner => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  contactName: r.contact_name,
  ...(r.contact_email === null ? {} : { contactEmail: r.contact_email }),
  responseDays: r.response_days,
  active: r.active,
});
