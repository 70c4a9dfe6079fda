import { z } from 'zod';
import { DAY } from './time';
import { matches } from './matches';

/**
 * Working days, for moving reminders off weekends and public holidays. Pure and
 * deterministic: holidays are computed from the date of Easter, and the weekday of a moment
 * is read in the municipality's time zone through Intl, which the workflow sandbox has.
 */

export const CalendarSchema = z.object({
  timeZone: z.string().min(1).default('Europe/Copenhagen'),
  /** Public holidays to avoid: Danish (the official helligdage) or none. */
  holidays: z.enum(['DK', 'none']).default('DK'),
  /** Further closed days each year, as MM-DD (for example 06-05 Constitution Day, 12-24). */
  extraClosedDays: z.array(z.string().refine(matches(/^\d\d-\d\d$/), 'use MM-DD')).default([]),
  /** Move reminders that fall on a closed day to the previous working day. */
  moveReminders: z.boolean().default(true),
});
export type Calendar = z.infer<typeof CalendarSchema>;

/** Easter Sunday of `year` (anonymous Gregorian algorithm), as [month 1-12, day]. */
export function easter(year: number): [number, number] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return [month, day];
}

const iso = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
const fromEaster = (year: number, days: number) => {
  const [m, d] = easter(year);
  return new Date(Date.UTC(year, m - 1, d) + days * DAY).toISOString().slice(0, 10);
};

/** Danish public holidays (helligdage) of `year`, as YYYY-MM-DD. Store bededag ended after 2023. */
export function danishHolidays(year: number): string[] {
  return [
    iso(year, 1, 1),
    fromEaster(year, -3), // skærtorsdag
    fromEaster(year, -2), // langfredag
    fromEaster(year, 0), // påskedag
    fromEaster(year, 1), // 2. påskedag
    ...(year <= 2023 ? [fromEaster(year, 26)] : []), // store bededag
    fromEaster(year, 39), // Kristi himmelfartsdag
    fromEaster(year, 49), // pinsedag
    fromEaster(year, 50), // 2. pinsedag
    iso(year, 12, 25),
    iso(year, 12, 26),
  ];
}

/** The local date (YYYY-MM-DD) and weekday (0 = Sunday) of a moment in `timeZone`. */
function localDay(at: number, timeZone: string): { date: string; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday'));
  return { date: `${get('year')}-${get('month')}-${get('day')}`, weekday };
}

export function isWorkingDay(at: number, calendar: Calendar): boolean {
  const { date, weekday } = localDay(at, calendar.timeZone);
  if (weekday === 0 || weekday === 6) return false;
  if (calendar.holidays === 'DK' && danishHolidays(Number(date.slice(0, 4))).includes(date)) return false;
  return !calendar.extraClosedDays.includes(date.slice(5));
}

/** `at`, or the same time on the nearest earlier working day. */
export function previousWorkingDay(at: number, calendar: Calendar): number {
  let t = at;
  // Christmas plus a weekend is the longest closed run; 14 days bounds a misconfigured calendar.
  for (let i = 0; i < 14 && !isWorkingDay(t, calendar); i++) t -= DAY;
  return t;
}
