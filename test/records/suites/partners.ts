import { sql } from 'kysely';
import { describe, expect, test } from 'vitest';
import { getPartner, listPartners, unknownPartner, upsertPartner, type Partner } from '../../../records';
import { uniqueId, type StoreRef } from './context';

const partner = (o: Partial<Partner> = {}): Partner => ({
  id: uniqueId('partner'),
  name: 'Regionspsykiatrien Nord',
  kind: 'region-psychiatry',
  contactName: 'Hanne Holm',
  contactEmail: 'hanne@region.example.org',
  responseDays: 14,
  active: true,
  ...o,
});

export function partnersSuite(store: StoreRef) {
  describe('partners', () => {
    test('a partner is written, updated in place and read back; unknown ids read as null', async () => {
      const { db } = store();
      const p = partner();
      await upsertPartner(db, p);
      const changed = { ...p, kind: 'housing-office' as const, contactName: 'Ole Berg', responseDays: 30 };
      await upsertPartner(db, changed);
      expect(await getPartner(db, p.id)).toEqual(changed);
      expect((await listPartners(db)).filter((x) => x.id === p.id)).toEqual([changed]);
      expect(await getPartner(db, uniqueId('unknown'))).toBeNull();
    });

    test('the contact e-mail is optional, and leaving it out of an update clears it', async () => {
      const { db } = store();
      const p = partner();
      await upsertPartner(db, p);
      const { contactEmail: _, ...without } = p;
      await upsertPartner(db, without);
      const read = await getPartner(db, p.id);
      expect(read).toEqual(without);
      expect(read).not.toHaveProperty('contactEmail');
    });

    test('an inactive partner stays readable, leaves the active list and is refused as unknown', async () => {
      const { db } = store();
      const [active, inactive] = [partner(), partner({ kind: 'police', active: false })];
      await upsertPartner(db, active);
      await upsertPartner(db, inactive);
      const activeIds = (await listPartners(db, { activeOnly: true })).map((x) => x.id);
      expect(activeIds).toContain(active.id);
      expect(activeIds).not.toContain(inactive.id);
      expect((await listPartners(db)).map((x) => x.id)).toEqual(expect.arrayContaining([active.id, inactive.id]));
      expect(await unknownPartner(db, active.id)).toBeNull();
      expect(await unknownPartner(db, inactive.id)).toEqual({ key: 'unknown-partner', params: { partner: inactive.id } });
      const missing = uniqueId('unknown');
      expect(await unknownPartner(db, missing)).toEqual({ key: 'unknown-partner', params: { partner: missing } });
    });

    test('bad partner data is refused with the field, and nothing is written', async () => {
      const { db } = store();
      for (const [bad, field] of [
        [partner({ responseDays: 0 }), /responseDays/],
        [partner({ responseDays: 91 }), /responseDays/],
        [partner({ responseDays: 2.5 }), /responseDays/],
        [partner({ contactEmail: 'not-an-address' }), /contactEmail/],
        [partner({ kind: 'hospital' as Partner['kind'] }), /kind/],
        [partner({ contactName: ' ' }), /contactName/],
      ] as const) {
        await expect(upsertPartner(db, bad)).rejects.toThrow(field);
        expect(await getPartner(db, bad.id)).toBeNull();
      }
      await expect(upsertPartner(db, partner({ id: '010190-1234' }))).rejects.toThrow(/personal ID number/);
    });

    test('the table itself refuses a response time outside the agreement range or an unknown kind', async () => {
      const { db } = store();
      const id = uniqueId('partner');
      const insert = (kind: string, days: number) =>
        sql`insert into partners (id, name, kind, contact_name, response_days) values (${id}, 'X', ${kind}, 'Y', ${days})`.execute(db);
      await expect(insert('other', 0)).rejects.toThrow(/check constraint/);
      await expect(insert('other', 91)).rejects.toThrow(/check constraint/);
      await expect(insert('hospital', 5)).rejects.toThrow(/check constraint/);
      expect(await getPartner(db, id)).toBeNull();
      await insert('other', 90);
      expect(await getPartner(db, id)).toEqual({ id, name: 'X', kind: 'other', contactName: 'Y', responseDays: 90, active: true });
    });
  });
}
