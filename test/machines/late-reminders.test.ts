import { describe, expect, it } from 'vitest';
import { HOUR, viewOf, type Effect } from '../../machines';
import { carePlaceLead, carer, system } from '../support/actors';
import { Pathway } from '../support/pathway';

const at = (iso: string) => Date.parse(iso);

/** A stay granted at `grantedAt` (Copenhagen is UTC+1 in winter: 18:00Z is 19:00 there). */
const stayFrom = (grantedAt: number) => Pathway.inStay({ grantedAt });

/** The workflow lets the machine see the time before every action; so do these tests. */
const tick = (p: Pathway, when: number) => p.send(system, { type: 'clock.tick' }, when);
const reminders = (effects: Effect[]) => effects.filter((e) => e.type === 'notify' && e.kind === 'stay-reminder');
const keysOf = (effects: Effect[]) => reminders(effects).map((e) => (e.type === 'notify' ? e.key : ''));

describe('a stay reminder moved into the past by a new limit', () => {
  it('goes out at once, key unchanged, when an extension approved on a Saturday afternoon moves it to Friday', () => {
    const p = stayFrom(at('2026-01-06T18:00:00Z')); // ends Tue 3 March 18:00Z; 14 days before is Tue 17 February
    const saturday = at('2026-02-21T14:00:00Z'); // 15:00 in Copenhagen
    p.send(carer, { type: 'extension.request', days: 4, reason: 'flat ready a little later' }, at('2026-02-16T09:00:00Z'));
    tick(p, saturday);
    const before = p.effects.length;
    p.send(carePlaceLead, { type: 'extension.approve', reason: 'agreed' }, saturday);

    // New end Sat 7 March 18:00Z: the 14-day reminder falls due this Saturday at 18:00Z, moves to Friday, already past.
    expect(reminders(p.effects.slice(before))).toEqual([
      {
        type: 'notify',
        key: 'stay-reminder-14d@2026-02-20T18:00:00.000Z',
        kind: 'stay-reminder',
        dueAt: at('2026-02-20T18:00:00Z'),
        about: at('2026-03-07T18:00:00Z'),
        notice: { audience: 'team', teams: ['care-place'] },
        patch: 'late-stay-reminders',
      },
    ]);
    // Time passing neither repeats it nor skips the later ones; the flag comes at the reminder's own time.
    tick(p, saturday + 5 * HOUR);
    expect(viewOf(p.snapshot, carer).flags).toContain('stay-limit-near');
    tick(p, at('2026-03-08T00:00:00Z'));
    expect(keysOf(p.effects)).toEqual([
      'stay-reminder-14d@2026-02-17T18:00:00.000Z',
      'stay-reminder-14d@2026-02-20T18:00:00.000Z',
      'stay-reminder-7d@2026-02-27T18:00:00.000Z',
      'stay-reminder-2d@2026-03-05T18:00:00.000Z',
    ]);
  });

  it('goes out at once when a return from hospital on a Saturday moves it to Friday', () => {
    const p = stayFrom(at('2026-01-06T18:00:00Z'));
    p.send(carer, { type: 'hospital.admit' }, at('2026-02-17T14:00:00Z')); // four hours before the 14-day reminder
    const saturday = at('2026-02-21T14:00:00Z');
    tick(p, saturday);
    const before = p.effects.length;
    p.send(carer, { type: 'hospital.return' }, saturday); // four days later: due Saturday 18:00Z, moved to Friday
    expect(keysOf(p.effects.slice(before))).toEqual(['stay-reminder-14d@2026-02-20T18:00:00.000Z']);
    tick(p, at('2026-03-08T00:00:00Z'));
    expect(keysOf(p.effects)).toEqual([
      'stay-reminder-14d@2026-02-20T18:00:00.000Z',
      'stay-reminder-7d@2026-02-27T18:00:00.000Z',
      'stay-reminder-2d@2026-03-05T18:00:00.000Z',
    ]);
  });

  it('is not sent twice when the new limit moves it to the very time it already went out', () => {
    const p = stayFrom(at('2026-01-10T18:00:00Z')); // a Saturday: 14 days before the end is Saturday 21 February
    tick(p, at('2026-02-20T19:00:00Z')); // moved to Friday 18:00Z, and sent
    p.send(carer, { type: 'extension.request', days: 1, reason: 'one more day' }, at('2026-02-21T14:00:00Z'));
    p.send(carePlaceLead, { type: 'extension.approve', reason: 'agreed' }, at('2026-02-21T14:00:00Z'));
    // Sunday 22 February moves to the same Friday: the same reminder, already out.
    expect(keysOf(p.effects)).toEqual(['stay-reminder-14d@2026-02-20T18:00:00.000Z']);
  });

  it('is not sent when its own time had passed too, as without the calendar', () => {
    const p = stayFrom(at('2026-01-06T18:00:00Z'));
    const wednesday = at('2026-02-25T10:00:00Z'); // day 50: the old 7-day reminder went out on Tuesday
    tick(p, wednesday);
    p.send(carer, { type: 'extension.request', days: 3, reason: 'three more days' }, wednesday);
    const before = p.effects.length;
    p.send(carePlaceLead, { type: 'extension.approve', reason: 'agreed' }, wednesday); // new 14-day reminder due Friday 20th: past
    expect(reminders(p.effects.slice(before))).toEqual([]);
  });
});
