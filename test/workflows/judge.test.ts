import { describe, expect, it } from 'vitest';
import { DAY } from '../../machines';
import { judge, judgingTime } from '../../workflows/judge';
import { RejectionType } from '../../workflows/messages';
import { carePlaceLead, carer, liaison, member, outreachWorker, stranger, supervisorOf, system } from '../support/actors';
import { Pathway } from '../support/pathway';

/** The one judgement the act Update's validator and handler share (pure: no Temporal here). */

/** A citizen admitted to hospital during the stay: the hold on the place runs out after 14 days. */
function inHospital() {
  return Pathway.start()
    .send(outreachWorker, { type: 'consent.record', given: true })
    .send(outreachWorker, { type: 'referral.request' })
    .send(liaison, { type: 'handoff.accept' })
    .send(liaison, { type: 'assessment.outcome', outcome: 'care-place' })
    .send(carer, { type: 'handoff.accept' })
    .send(carer, { type: 'waitlist.join', facilityId: 'skovvang' })
    .send(system, { type: 'place.grant', facilityId: 'skovvang' })
    .send(carer, { type: 'hospital.admit' });
}

const request = (p: Pathway, text = 'a note', requestId = 'request-0001') => ({
  requestId,
  expectedVersion: p.c.version,
  actor: carer,
  command: { type: 'note.add', text },
});

describe('judging an action', () => {
  it('accepts the parsed command, stamped with the judging time', () => {
    const p = inHospital();
    const at = p.c.now + DAY;
    const j = judge(p.snapshot, new Map(), request(p, '  padded  '), at);
    expect(j).toMatchObject({ verdict: 'accept', event: { type: 'note.add', text: 'padded', by: carer, at } });
  });

  it('checks the version after the time that passed: an expired hospital hold makes the request stale', () => {
    const p = inHospital();
    const later = p.c.now + 15 * DAY;
    const j = judge(p.snapshot, new Map(), request(p), later);
    expect(j).toMatchObject({ verdict: 'reject', type: RejectionType.stale });
    // Sent with the version time has moved the pathway to, it is accepted.
    const moved = judge(p.snapshot, new Map(), { ...request(p), expectedVersion: p.c.version + 1 }, later);
    expect(moved).toMatchObject({ verdict: 'accept', ticked: { snapshot: { value: 'waiting' } } });
  });

  it('answers a request id already applied without judging it again', () => {
    const p = inHospital();
    const j = judge(p.snapshot, new Map([['request-0001', { version: 3 }]]), { ...request(p), expectedVersion: 1 }, p.c.now);
    expect(j).toMatchObject({ verdict: 'repeat', request: { requestId: 'request-0001' } });
  });

  it('answers a request id someone else applied with request-id-taken, not with their view', () => {
    const p = inHospital();
    const applied = new Map([['request-0001', { version: 3, by: carePlaceLead.id }]]);
    expect(judge(p.snapshot, applied, request(p), p.c.now)).toMatchObject({ verdict: 'reject', type: RejectionType.conflict, why: { key: 'request-id-taken' } });
    expect(judge(p.snapshot, applied, { ...request(p), actor: carePlaceLead }, p.c.now)).toMatchObject({ verdict: 'repeat' });
  });

  it('answers anyone outside the pathway’s scope as an unknown pathway, before its version can show', () => {
    const p = inHospital();
    const stale = { ...request(p), expectedVersion: 1 };
    for (const actor of [stranger, supervisorOf('outreach'), { id: 'adm', role: 'admin', teams: ['care-place'] }]) {
      expect(judge(p.snapshot, new Map(), { ...stale, actor }, p.c.now)).toEqual({ verdict: 'reject', type: RejectionType.notFound, message: 'no such pathway' });
    }
    // Someone who may read it but not act is told why, like anyone in scope.
    const reader = { id: 'mr1', role: 'municipal-reader', teams: [] };
    expect(judge(p.snapshot, new Map(), { ...request(p), actor: reader }, p.c.now)).toMatchObject({ verdict: 'reject', type: RejectionType.forbidden });
    expect(judge(p.snapshot, new Map(), { ...stale, actor: member('care-place', 2) }, p.c.now)).toMatchObject({ verdict: 'reject', type: RejectionType.stale });
  });

  it('rejects a malformed request with the field that is wrong', () => {
    const p = inHospital();
    expect(judge(p.snapshot, new Map(), { ...request(p), command: { type: 'note.add', text: '   ' } }, p.c.now)).toEqual({
      verdict: 'reject',
      type: RejectionType.invalid,
      message: expect.stringMatching(/^command\.text: /),
    });
  });

  it('never judges before the pathway clock', () => {
    const p = inHospital();
    expect(judgingTime(p.snapshot, p.c.now - DAY)).toBe(p.c.now);
    expect(judgingTime(p.snapshot, p.c.now + DAY)).toBe(p.c.now + DAY);
  });
});
