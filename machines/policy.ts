import { z } from 'zod';
import { CalendarSchema, type Calendar } from './calendar';

/**
 * Time rules of a pathway (docs/domain.md, "Pathway stages"). A municipality may tune every
 * number; the defaults are the ones in the municipal texts. The policy is copied into each
 * pathway's context when it starts, so a later policy change never moves the deadlines of
 * running pathways behind their backs.
 */
// Fractions are allowed (half a day, a few minutes), which also lets tests on a real clock use short rules.
const days = z.number().positive().max(365);
const hours = z.number().positive().max(24 * 30);

export const TeamsSchema = z.object({
  outreach: z.string().min(1),
  assessment: z.string().min(1),
  carePlace: z.string().min(1),
  housing: z.string().min(1),
});
export type DefaultTeams = z.infer<typeof TeamsSchema>;

export const PolicySchema = z
  .object({
    /** Teams a handoff goes to when the sender names none. */
    teams: TeamsSchema.default({
      outreach: 'outreach',
      assessment: 'psychiatry-liaison',
      carePlace: 'care-place',
      housing: 'housing-support',
    }),
    outreach: z.object({ noContactDays: days.default(14) }).default({ noContactDays: 14 }),
    assessment: z.object({ overdueDays: days.default(28) }).default({ overdueDays: 28 }),
    waiting: z.object({ overdueDays: days.default(21) }).default({ overdueDays: 21 }),
    stay: z
      .object({
        limitDays: days.default(56),
        /** Reminders go out this many days before the stay limit. */
        reminderDaysBefore: z.array(days).default([14, 7, 2]),
        /** The flag `stay-limit-near` is raised this many days before the limit. */
        nearLimitDays: days.default(14),
        /** Discharge planning must have started by this day of the stay. */
        dischargePlanningByDay: days.default(42),
        /** Longest hospital admission during which the place is held. */
        hospitalHoldDays: days.default(14),
        /** Most days all approved extensions of one stay may add together. */
        maxExtensionDays: days.default(28),
        /**
         * When the hold ran out and the place went to the next in line, rejoining the same
         * facility's waitlist keeps the citizen's turn: ahead of normal requests, behind urgent
         * ones, among other returners by when they lost their place. Off: back of the queue.
         */
        keepTurnAfterHold: z.boolean().default(true),
      })
      .default({
        limitDays: 56,
        reminderDaysBefore: [14, 7, 2],
        nearLimitDays: 14,
        dischargePlanningByDay: 42,
        hospitalHoldDays: 14,
        maxExtensionDays: 28,
        keepTurnAfterHold: true,
      }),
    handoff: z
      .object({ reminderHours: hours.default(24), escalationHours: hours.default(48) })
      .default({ reminderHours: 24, escalationHours: 48 }),
    followUp: z.object({ days: days.default(30) }).default({ days: 30 }),
    /** The recovery plan's reviews, and the yearly review every open pathway gets. */
    recovery: z
      .object({ reviewReminderDays: days.default(7), yearlyReviewDays: days.default(365) })
      .default({ reviewReminderDays: 7, yearlyReviewDays: 365 }),
    /**
     * An extension is decided by a supervisor other than the one who asked for it. Off only
     * where a team has a single supervisor. Absent in pathways older than the rule: off there.
     */
    fourEyes: z.boolean().default(true),
    /** Working days for reminders. Optional: pathways started before it existed keep their timing. */
    calendar: CalendarSchema.default(CalendarSchema.parse({})),
  })
  .refine((p) => p.stay.dischargePlanningByDay < p.stay.limitDays, {
    message: 'discharge planning must be due before the stay limit',
    path: ['stay', 'dischargePlanningByDay'],
  })
  .refine((p) => p.handoff.reminderHours < p.handoff.escalationHours, {
    message: 'the handoff reminder must come before the escalation',
    path: ['handoff', 'reminderHours'],
  });

type ParsedPolicy = z.infer<typeof PolicySchema>;
/**
 * A policy as stored in a pathway. Fields added later are absent in pathways older than them:
 * without `calendar` reminders stay where they fall; without `fourEyes` a supervisor may decide
 * their own extension request (as they could when the pathway started); without `stay.keepTurnAfterHold` the
 * default (on) applies, since it moves no deadline and changes no workflow command; without
 * `recovery` no yearly review falls due (it would add a timer the recorded run never had), and
 * plan reviews are reminded a week ahead.
 */
export type Policy = Omit<ParsedPolicy, 'calendar' | 'stay' | 'fourEyes' | 'recovery'> & {
  calendar?: Calendar;
  recovery?: ParsedPolicy['recovery'];
  fourEyes?: boolean;
  stay: Omit<ParsedPolicy['stay'], 'keepTurnAfterHold'> & { keepTurnAfterHold?: boolean };
};
export type PolicyInput = z.input<typeof PolicySchema>;

export const defaultPolicy: Policy = PolicySchema.parse({});

