import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { applyCapacity } from '../../activities/facilities';
import { OpaqueIdSchema, scopeOf, type Actor } from '../../machines';
import { FacilitySchema, getFacility, listFacilities, listPartners, listTeams, PartnerSchema, TeamSchema, upsertFacility, upsertPartner, upsertTeam, type Records } from '../../records';
import type { AccessLog } from './access-log';
import { HttpError, parse } from './errors';

const IdParams = z.object({ id: OpaqueIdSchema });
const TeamBody = TeamSchema.omit({ id: true }).extend({ active: z.boolean().default(true) }).strict();
const FacilityBody = FacilitySchema.omit({ id: true }).extend({ active: z.boolean().default(true) }).strict();
const PartnerBody = PartnerSchema.omit({ id: true }).extend({ active: z.boolean().default(true) }).strict();

const admin = (a: Actor) => {
  if (scopeOf(a, 'registry.write') === null) throw new HttpError(403, 'role-required', 'only an admin manages teams, facilities and partners', { role: 'admin' });
};

/**
 * The registry of teams, facilities and partners: everyone signed in reads the active ones (the
 * action forms' pickers); admins read all, staff and contact addresses included, and write them.
 * A changed capacity reaches a running facility at once, through its `setCapacity` Update.
 */
export function registerRegistryRoutes(app: FastifyInstance, o: { client: Client; records: Records; actor: (request: FastifyRequest) => Actor; log: AccessLog }) {
  const { db } = o.records;

  app.get('/api/teams', async (request) => {
    const a = o.actor(request);
    if (scopeOf(a, 'registry.write')) return listTeams(db);
    return (await listTeams(db, { activeOnly: true })).map(({ id, name, language }) => ({ id, name, language }));
  });

  app.put('/api/teams/:id', async (request) => {
    const a = o.actor(request);
    admin(a);
    const { id } = parse(IdParams, request.params);
    const team = { id, ...parse(TeamBody, request.body) };
    await upsertTeam(db, team);
    await o.log(request, a, { action: 'registry.team', outcome: 'allowed', details: { team: id, active: team.active } });
    return team;
  });

  app.get('/api/facilities/registry', async (request) => {
    const a = o.actor(request);
    return listFacilities(db, { activeOnly: scopeOf(a, 'registry.write') === null });
  });

  app.put('/api/facilities/registry/:id', async (request) => {
    const a = o.actor(request);
    admin(a);
    const { id } = parse(IdParams, request.params);
    const facility = { id, ...parse(FacilityBody, request.body) };
    const before = await getFacility(db, id);
    await upsertFacility(db, facility);
    const applied = before?.capacity !== facility.capacity && (await applyCapacity(o.client, id, facility.capacity, a));
    await o.log(request, a, { action: 'registry.facility', outcome: 'allowed', details: { facility: id, capacity: facility.capacity, active: facility.active, applied } });
    return facility;
  });

  app.get('/api/partners', async (request) => {
    const a = o.actor(request);
    if (scopeOf(a, 'registry.write')) return listPartners(db);
    return (await listPartners(db, { activeOnly: true })).map(({ id, name, kind, contactName, responseDays }) => ({ id, name, kind, contactName, responseDays }));
  });

  app.put('/api/partners/:id', async (request) => {
    const a = o.actor(request);
    admin(a);
    const { id } = parse(IdParams, request.params);
    const partner = { id, ...parse(PartnerBody, request.body) };
    await upsertPartner(db, partner);
    await o.log(request, a, { action: 'registry.partner', outcome: 'allowed', details: { partner: id, responseDays: partner.responseDays, active: partner.active } });
    return partner;
  });
}
