import { describe, expect, it } from 'vitest';
import { DAY, mayReach, trailFor, viewOf, type Actor, type Effect } from '../../machines';
import { member, outreachWorker, supervisorOf, system } from '../support/actors';
import { Pathway, T0 } from '../support/pathway';

const peer: Actor = { id: 'peer-1', role: 'peer', teams: [] };
const tick = (p: Pathway, when: number) => p.send(system, { type: 'clock.tick' }, when);
const notices = (effects: Effect[]) => effects.flatMap((e) => (e.type === 'notify' ? [`${e.kind}:${e.notice.audience}`] : []));
const reach = (p: Pathway, a: Actor) => mayReach(a, 'case.read', { responsibleTeam: p.c.responsibleTeam, peers: viewOf(p.snapshot, a).peers });

describe('consent per purpose and recipient', () => {
  it('is dated and revocable per recipient; the referral asks for the region’s, not another', () => {
    const p = Pathway.start()
      .send(outreachWorker, { type: 'network.add', name: 'Anna Andersen', relation: 'relative', phone: '+45 12 34 56 78' })
      .send(outreachWorker, { type: 'consent.record', given: true, scope: 'relative', recipient: 'contact-1' })
      .send(outreachWorker, { type: 'consent.record', given: true, scope: 'peer', recipient: 'peer-1' });
    expect(p.refusal(outreachWorker, { type: 'referral.request' })?.why.key).toBe('consent-required');
    p.send(outreachWorker, { type: 'consent.record', given: false, scope: 'relative', recipient: 'contact-1', note: 'not her sister after all' });
    const view = viewOf(p.snapshot, outreachWorker);
    expect(view.circle.consents.map((x) => [x.scope, x.recipient, x.given])).toEqual([
      ['peer', 'peer-1', true],
      ['relative', 'contact-1', false],
    ]);
    expect(view.circle.contacts).toEqual([{ id: 'contact-1', name: 'Anna Andersen', relation: 'relative', phone: '+45 12 34 56 78', addedAt: expect.any(Number) }]);
    p.send(outreachWorker, { type: 'consent.record', given: true });
    expect(p.refusal(outreachWorker, { type: 'referral.request' })).toBeUndefined();
  });

  it('goes with a contact removed from the network', () => {
    const p = Pathway.start()
      .send(outreachWorker, { type: 'network.add', name: 'Bo', relation: 'friend' })
      .send(outreachWorker, { type: 'consent.record', given: true, scope: 'relative', recipient: 'contact-1' })
      .send(outreachWorker, { type: 'network.remove', contactId: 'contact-1', reason: 'the citizen asked' })
      .send(outreachWorker, { type: 'network.add', name: 'Bo', relation: 'friend' });
    expect(viewOf(p.snapshot, outreachWorker).circle).toMatchObject({ contacts: [{ id: 'contact-2' }], consents: [] });
  });
});

describe('a peer worker', () => {
  const attached = () =>
    Pathway.start()
      .send(outreachWorker, { type: 'consent.record', given: true, scope: 'peer', recipient: 'peer-1' })
      .send(outreachWorker, { type: 'peer.attach', peer: 'peer-1' })
      .send(outreachWorker, { type: 'goal.add', goal: 'a job in a café', area: 'occupation', reviewAt: T0 + 30 * DAY })
      .send(outreachWorker, { type: 'admissions.before', count: 2, days: 30 })
      .send(outreachWorker, { type: 'note.add', text: 'medication changed by the GP' });

  it('reaches the case once attached with consent, sees the plan but not the clinical side, and logs their own contacts', () => {
    const p = attached();
    expect(reach(p, peer)).toBe(true);
    expect(reach(p, { ...peer, id: 'peer-2' })).toBe(false);
    const view = viewOf(p.snapshot, peer);
    expect(view.goals.map((g) => g.text)).toEqual(['a job in a café']);
    expect(view.admissions).toEqual({ before: null, during: [] });
    expect(view.circle).toEqual({ contacts: [], consents: [], peers: [], requests: [] });
    expect(view.actions.filter((a) => a.available).map((a) => a.type)).toEqual(['contact.log']);
    expect(trailFor(peer, p.c.audit).map((e) => e.type)).toEqual(['pathway.start', 'goal.add']);
    p.send(peer, { type: 'contact.log', outcome: 'reached', note: 'coffee in town' });
    expect(p.c.lastContactAt).toBe(p.c.now);
    expect(trailFor(peer, p.c.audit).at(-1)).toMatchObject({ type: 'contact.log', by: { id: 'peer-1', role: 'peer' } });
    expect(p.refusal(peer, { type: 'note.add', text: 'x' })?.why.key).toBe('not-responsible-team');
  });

  it('loses access the moment the citizen withdraws the consent', () => {
    const p = attached().send(outreachWorker, { type: 'consent.record', given: false, scope: 'peer', recipient: 'peer-1' });
    expect(reach(p, peer)).toBe(false);
    expect(p.refusal(peer, { type: 'contact.log', outcome: 'reached' })?.why.key).toBe('not-responsible-team');
    expect(viewOf(p.snapshot, outreachWorker).circle.peers).toEqual([{ id: 'peer-1', active: false }]);
  });
});

describe('a request to a partner', () => {
  const asked = () =>
    Pathway.start()
      .send(outreachWorker, { type: 'contact.log', outcome: 'reached' })
      .send(outreachWorker, { type: 'consent.record', given: true, scope: 'partner', recipient: 'region-psych' })
      .send(outreachWorker, { type: 'partner.request', partnerId: 'region-psych', request: 'a psychiatric assessment', responseDays: 5 }, T0 + DAY);

  it('is due in the agreed time: the team is reminded a day before, supervisors told and the case flagged when it is late', () => {
    const p = asked();
    expect(p.c.circle?.requests[0]).toMatchObject({ id: 'request-1', dueAt: T0 + 6 * DAY, answeredAt: null });
    tick(p, T0 + 5 * DAY + 1);
    expect(notices(p.effects)).toEqual(['partner-reminder:team']);
    tick(p, T0 + 6 * DAY);
    expect(notices(p.effects)).toEqual(['partner-reminder:team', 'partner-due:supervisors']);
    expect(viewOf(p.snapshot, supervisorOf('outreach')).flags).toContain('partner-overdue');
    // A peer worker is not told of the team's partners, nor their deadlines.
    const asPeer = viewOf(p.snapshot, peer);
    expect([asPeer.flags, asPeer.deadlines.map((d) => d.kind)].flat().filter((k) => k.startsWith('partner'))).toEqual([]);
    p.send(member('outreach'), { type: 'partner.answer', requestId: 'request-1', note: 'assessment booked' });
    expect(viewOf(p.snapshot, outreachWorker).flags).not.toContain('partner-overdue');
    expect(p.c.circle?.requests[0]?.answeredAt).toBe(p.c.now);
  });

  it('needs the citizen’s consent for that partner, and is withdrawn when it is revoked', () => {
    expect(Pathway.start().refusal(outreachWorker, { type: 'partner.request', partnerId: 'police', request: 'a welfare check', responseDays: 2 })?.why).toEqual({
      key: 'consent-required-for',
      params: { scope: 'partner' },
    });
    const p = asked().send(outreachWorker, { type: 'consent.record', given: false, scope: 'partner', recipient: 'region-psych' });
    expect(p.c.circle?.requests[0]?.withdrawnAt).toBe(p.c.now);
    expect(viewOf(p.snapshot, outreachWorker).deadlines.map((d) => d.kind)).not.toContain('partner-due');
  });
});
