import { describe, expect, it } from 'vitest';
import { check, DAY } from '../../machines';
import { outreachWorker, system } from '../support/actors';
import { Pathway } from '../support/pathway';

describe('a notice given up on after closure', () => {
  const closed = () => Pathway.start().send(outreachWorker, { type: 'pathway.close', reason: 'moved' });
  const notice = { type: 'notice.undeliverable', kind: 'handoff-requested', key: 'handoff-requested@2026-01-05T10:00:00.000Z' } as const;

  it('is recorded in the audit trail by the engine, and the pathway stays closed', () => {
    const p = closed();
    const version = p.c.version;
    p.send(system, notice, p.c.now + DAY);
    expect(p.snapshot.status).toBe('done');
    expect(p.c.version).toBe(version);
    expect(p.c.audit.at(-1)).toMatchObject({ type: 'notice.undeliverable', by: { role: 'system' }, details: { kind: notice.kind, key: notice.key } });
  });

  it('is the engine’s to record: a person may not, nor may it be sent while the pathway is open', () => {
    const p = closed();
    expect(check(p.snapshot, { ...notice, by: outreachWorker, at: p.c.now + DAY })?.code).toBe('forbidden');
    const open = Pathway.start();
    expect(check(open.snapshot, { ...notice, by: system, at: open.c.now + DAY })?.code).toBe('conflict');
  });
});
