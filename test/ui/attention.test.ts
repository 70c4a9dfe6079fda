import { describe, expect, it } from 'vitest';
import { needsReader } from '../../ui/web/src/attention';

describe('a caseload row marked for its reader', () => {
  const anna = { teams: ['outreach'] };
  it('is not marked for a handoff she sent, nor for a hospital stay', () => {
    expect(needsReader({ flags: ['handoff-pending'], handoffTo: 'psychiatry-liaison' }, anna)).toBe(false);
    expect(needsReader({ flags: ['hospital-admitted'], handoffTo: null }, anna)).toBe(false);
  });
  it('is marked for a handoff to her team, and for any flag that asks something of her', () => {
    expect(needsReader({ flags: ['handoff-pending'], handoffTo: 'outreach' }, anna)).toBe(true);
    expect(needsReader({ flags: ['no-contact'], handoffTo: null }, anna)).toBe(true);
    expect(needsReader({ flags: ['handoff-pending', 'handoff-overdue'], handoffTo: 'psychiatry-liaison' }, anna)).toBe(true);
  });
});
