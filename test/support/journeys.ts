import type { Actor } from '../../machines';
import { carer, liaison, outreachWorker } from './actors';
import { act, type PathwayHandle } from './client';

/** Takes a new pathway through outreach and assessment to waiting for a care place. */
export async function toWaiting(h: PathwayHandle, by: { outreach?: Actor; liaison?: Actor; carer?: Actor } = {}) {
  await act(h, by.outreach ?? outreachWorker, { type: 'consent.record', given: true });
  await act(h, by.outreach ?? outreachWorker, { type: 'referral.request' });
  await act(h, by.liaison ?? liaison, { type: 'handoff.accept' });
  await act(h, by.liaison ?? liaison, { type: 'assessment.outcome', outcome: 'care-place' });
  return act(h, by.carer ?? carer, { type: 'handoff.accept' });
}
