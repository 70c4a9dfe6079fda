import { defaultPolicy, type Policy, type PolicySchema } from '../machines';
import type { z } from 'zod';
import type { Patched } from './patches';

/**
 * The policy a run gives its pathway, as far as the run's history allows: rules added while
 * pathways were running change timers or decisions, so each comes in behind its patch
 * (docs/architecture.md, rule 10). Called in the same order on every replay.
 */
const WORKING_DAY_REMINDERS = 'working-day-reminders';
/** Extensions are decided by a supervisor other than the one who asked (policy `fourEyes`). */
const FOUR_EYES = 'four-eyes';
/** The yearly review (policy `recovery`): a timer runs recorded before it never had. */
const YEARLY_REVIEW = 'yearly-review';

/** A new pathway's policy: the parsed one, less the rules its history predates. */
export function startingPolicy(parsed: z.infer<typeof PolicySchema>, patched: Patched): Policy {
  const { calendar, fourEyes, recovery, ...rules } = parsed;
  // Pathways started before the calendar existed keep unmoved reminders (their timers are in history).
  const withCalendar: Policy = patched(WORKING_DAY_REMINDERS) ? { ...rules, calendar } : rules;
  const withFourEyes: Policy = patched(FOUR_EYES) ? { ...withCalendar, fourEyes } : withCalendar;
  return patched(YEARLY_REVIEW) ? { ...withFourEyes, recovery } : withFourEyes;
}

/** A continuing pathway's policy: one older than a rule takes it on with its next run; null when nothing changes. */
export function continuedPolicy(policy: Policy, patched: Patched): Policy | null {
  const fourEyes = policy.fourEyes === undefined && patched(FOUR_EYES);
  const yearly = policy.recovery === undefined && patched(YEARLY_REVIEW);
  if (!fourEyes && !yearly) return null;
  return { ...policy, ...(fourEyes ? { fourEyes: true } : {}), ...(yearly ? { recovery: defaultPolicy.recovery } : {}) };
}
