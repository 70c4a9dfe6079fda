import { describe, expect, it } from 'vitest';
import { CalendarSchema, danishHolidays, easter, isWorkingDay, previousWorkingDay } from '../../machines';

const dk = CalendarSchema.parse({});
const at = (iso: string) => Date.parse(iso);

describe('working days', () => {
  it('finds Easter', () => {
    expect(easter(2024)).toEqual([3, 31]);
    expect(easter(2026)).toEqual([4, 5]);
    expect(easter(2027)).toEqual([3, 28]);
  });

  it('knows the Danish public holidays, without store bededag from 2024', () => {
    expect(danishHolidays(2026)).toEqual([
      '2026-01-01', '2026-04-02', '2026-04-03', '2026-04-05', '2026-04-06',
      '2026-05-14', '2026-05-24', '2026-05-25', '2026-12-25', '2026-12-26',
    ]);
    expect(danishHolidays(2023)).toContain('2023-05-05');
  });

  it('reads the day in Copenhagen time, not UTC', () => {
    // 23:30 UTC on Friday is 00:30 on Saturday in Copenhagen (winter time).
    expect(isWorkingDay(at('2026-01-09T23:30:00Z'), dk)).toBe(false);
    expect(isWorkingDay(at('2026-01-09T22:30:00Z'), dk)).toBe(true);
  });

  it('moves a closed day to the working day before, keeping the time', () => {
    expect(previousWorkingDay(at('2026-01-11T08:00:00Z'), dk)).toBe(at('2026-01-09T08:00:00Z')); // Sunday to Friday
    expect(previousWorkingDay(at('2026-04-06T08:00:00Z'), dk)).toBe(at('2026-04-01T07:00:00Z') + 3_600_000); // Easter Monday to the Wednesday before
    expect(previousWorkingDay(at('2026-03-03T08:00:00Z'), dk)).toBe(at('2026-03-03T08:00:00Z')); // a Tuesday stays
  });

  it('honours extra closed days and can be switched off', () => {
    const withConstitutionDay = CalendarSchema.parse({ extraClosedDays: ['06-05'] });
    expect(isWorkingDay(at('2026-06-05T08:00:00Z'), withConstitutionDay)).toBe(false);
    expect(isWorkingDay(at('2026-06-05T08:00:00Z'), dk)).toBe(true);
    expect(isWorkingDay(at('2026-12-25T08:00:00Z'), CalendarSchema.parse({ holidays: 'none' }))).toBe(true);
  });
});
