import fc from 'fast-check';
import {
  formatJalali,
  jalaliMonthKey,
  jalaliParts,
  jalaliToDate,
  jalaliYear,
  parseDateInput,
  toJalaliDate,
} from '../../src/calendar/jalali';

const at = (iso: string): Date => new Date(iso);

describe('Jalali dates in Tehran', () => {
  describe('toJalaliDate', () => {
    it('converts 2024-12-02 to 1403/09/12', () => {
      expect(toJalaliDate(at('2024-12-02T08:30:00Z'))).toBe('1403/09/12');
    });

    it('turns the day at midnight Tehran time, not UTC', () => {
      expect(toJalaliDate(at('2024-12-01T20:29:59.999Z'))).toBe('1403/09/11');
      expect(toJalaliDate(at('2024-12-01T20:30:00Z'))).toBe('1403/09/12');
      // Still 2024-12-01 in UTC, already the 12th in Tehran.
      expect(toJalaliDate(at('2024-12-01T23:00:00Z'))).toBe('1403/09/12');
    });

    it('turns the year at Nowruz: 1404/01/01 is 2025-03-21 in Tehran, after 30 Esfand of leap year 1403', () => {
      expect(toJalaliDate(at('2025-03-20T20:29:59.999Z'))).toBe('1403/12/30');
      expect(toJalaliDate(at('2025-03-20T20:30:00Z'))).toBe('1404/01/01');
      expect(toJalaliDate(at('2025-03-21T12:00:00Z'))).toBe('1404/01/01');
    });

    it('knows the summer offset Iran kept until 2022: 00:30 Tehran time on 1400/03/12 was 20:00Z', () => {
      // With a fixed +03:30 this would still read 1400/03/11, 23:30.
      expect(toJalaliDate(at('2021-06-01T20:00:00Z'))).toBe('1400/03/12');
      expect(formatJalali(at('2021-06-01T20:00:00Z'), { withTime: true })).toBe('1400/03/12 00:30');
    });

    it('uses +03:30 all year since 2023', () => {
      expect(formatJalali(at('2024-06-01T20:00:00Z'), { withTime: true })).toBe('1403/03/12 23:30');
    });

    it('agrees with ICU’s Persian calendar on every date from 1950 to 2100', () => {
      const icu = new Intl.DateTimeFormat('en-US-u-ca-persian', {
        timeZone: 'Asia/Tehran',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
      fc.assert(
        fc.property(fc.date({ min: at('1950-01-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
          const parts = Object.fromEntries(icu.formatToParts(date).map((p) => [p.type, p.value]));
          expect(toJalaliDate(date)).toBe(`${parts.year}/${parts.month}/${parts.day}`);
        }),
        { numRuns: 2000 },
      );
    });

    // Offsets are remembered by quarter hour (src/calendar/jalali.ts): these check that the
    // time of day stays ICU's own at every minute around each clock change Iran made, and
    // in the days of Tehran mean time (+03:25:44), whichever quarter was looked up first.
    const icuTime = new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Tehran', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    const icuHourMinute = (date: Date): string => {
      const parts = Object.fromEntries(icuTime.formatToParts(date).map((p) => [p.type, p.value]));
      return `${parts.hour!.padStart(2, '0')}:${parts.minute}`;
    };
    const hourMinute = (date: Date): string => {
      const { hour, minute } = jalaliParts(date);
      return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
    };

    it('tells the time of day as ICU does at every minute around each clock change, looked up in any order', () => {
      const SIX_HOURS = 6 * 3_600_000;
      const wallMinutes = (time: number): number => {
        const [hour, minute] = icuHourMinute(new Date(time)).split(':').map(Number);
        return hour! * 60 + minute!;
      };
      // Six-hour windows, 1900 to 2030, in which ICU's wall clock did not move by six hours: a clock change.
      const windows: number[] = [];
      for (let time = Date.UTC(1900, 0, 1); time < Date.UTC(2030, 0, 1); time += SIX_HOURS) {
        if ((wallMinutes(time + SIX_HOURS) - wallMinutes(time) + 1440) % 1440 !== 360) windows.push(time);
      }
      expect(windows.length).toBeGreaterThan(40); // daylight saving from 1977 to 2022, and the end of mean time
      for (const start of windows) {
        const minutes = Array.from({ length: 6 * 60 }, (_, i) => start + i * 60_000 + (i % 7) * 1_000);
        // Backwards, then forwards: a quarter remembered from either side must not leak across the change.
        for (const time of [...minutes].reverse().concat(minutes)) {
          const iso = new Date(time).toISOString();
          expect(`${iso} ${hourMinute(new Date(time))}`).toBe(`${iso} ${icuHourMinute(new Date(time))}`);
        }
      }
    });

    it('tells the time of day as ICU does on any instant from 1900 to 2100', () => {
      fc.assert(
        fc.property(fc.date({ min: at('1900-01-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
          expect(hourMinute(date)).toBe(icuHourMinute(date));
        }),
        { numRuns: 5000 },
      );
    });

    it('rejects an invalid Date with a RangeError', () => {
      expect(() => toJalaliDate(new Date(Number.NaN))).toThrow(RangeError);
    });
  });

  describe('formatJalali', () => {
    const tenOClock = at('2024-12-02T06:30:00Z');

    it('writes the date alone, in ASCII digits, by default', () => {
      expect(formatJalali(tenOClock)).toBe('1403/09/12');
    });

    it('adds Tehran’s time of day, 24-hour', () => {
      expect(formatJalali(tenOClock, { withTime: true })).toBe('1403/09/12 10:00');
      expect(formatJalali(at('2024-12-02T13:45:00Z'), { withTime: true })).toBe('1403/09/12 17:15');
    });

    it('writes Persian digits', () => {
      expect(formatJalali(tenOClock, { persianDigits: true })).toBe('۱۴۰۳/۰۹/۱۲');
      expect(formatJalali(tenOClock, { persianDigits: true, withTime: true })).toBe('۱۴۰۳/۰۹/۱۲ ۱۰:۰۰');
    });
  });

  describe('months and years for reports', () => {
    it('keys a date by its Jalali month', () => {
      expect(jalaliMonthKey(at('2024-12-02T06:30:00Z'))).toBe('1403-09');
      expect(jalaliMonthKey(at('2025-03-20T20:29:00Z'))).toBe('1403-12');
      expect(jalaliMonthKey(at('2025-03-20T20:30:00Z'))).toBe('1404-01');
    });

    it('sorts month keys as time runs', () => {
      const keys = ['2024-03-20T12:00:00Z', '2024-09-22T12:00:00Z', '2025-01-01T12:00:00Z', '2025-04-01T12:00:00Z'].map((iso) =>
        jalaliMonthKey(at(iso)),
      );
      expect(keys).toEqual([...keys].sort());
      expect(keys).toEqual(['1403-01', '1403-07', '1403-10', '1404-01']);
    });

    it('tells the Jalali year', () => {
      expect(jalaliYear(at('2025-03-20T20:29:59Z'))).toBe(1403);
      expect(jalaliYear(at('2025-03-20T20:30:00Z'))).toBe(1404);
    });

    it('gives every part of the wall-clock time', () => {
      expect(jalaliParts(at('2024-12-02T13:45:00Z'))).toEqual({ year: 1403, month: 9, day: 12, hour: 17, minute: 15 });
    });
  });

  describe('parseDateInput', () => {
    it.each([
      ['an ISO time in UTC', '2024-12-02T06:30:00Z', '2024-12-02T06:30:00.000Z'],
      ['an ISO time with milliseconds', '2024-12-02T06:30:00.250Z', '2024-12-02T06:30:00.250Z'],
      ['an ISO time at Tehran’s offset', '2024-12-02T10:00:00+03:30', '2024-12-02T06:30:00.000Z'],
      ['an ISO time at another offset, compact', '2024-12-02T01:30-0500', '2024-12-02T06:30:00.000Z'],
      ['an ISO time without an offset, as Tehran time', '2024-12-02T10:00', '2024-12-02T06:30:00.000Z'],
      ['an ISO date, as Tehran midnight', '2024-12-02', '2024-12-01T20:30:00.000Z'],
      ['a Jalali date, as Tehran midnight', '1403/09/12', '2024-12-01T20:30:00.000Z'],
      ['a Jalali date with dashes', '1403-09-12', '2024-12-01T20:30:00.000Z'],
      ['a Jalali date without leading zeros', '1403/9/12', '2024-12-01T20:30:00.000Z'],
      ['a Jalali date in Persian digits', '۱۴۰۳/۰۹/۱۲', '2024-12-01T20:30:00.000Z'],
      ['a Jalali date in Arabic-Indic digits', '١٤٠٣/٠٩/١٢', '2024-12-01T20:30:00.000Z'],
      ['a Jalali date and time, Tehran time', '1403/09/12 10:00', '2024-12-02T06:30:00.000Z'],
      ['a Jalali date and time in Persian digits', '۱۴۰۳/۰۹/۱۲ ۱۰:۰۰', '2024-12-02T06:30:00.000Z'],
      ['text with spaces around it', '  1403/09/12 10:00 ', '2024-12-02T06:30:00.000Z'],
      ['Nowruz 1404', '1404/01/01', '2025-03-20T20:30:00.000Z'],
      ['30 Esfand of leap year 1403', '1403/12/30', '2025-03-19T20:30:00.000Z'],
      ['29 February of a leap year', '2024-02-29', '2024-02-28T20:30:00.000Z'],
      ['a summer date before 2023, at +04:30', '1400/03/11', '2021-05-31T19:30:00.000Z'],
    ])('reads %s', (_case, text, iso) => {
      expect(parseDateInput(text).toISOString()).toBe(iso);
    });

    it('reads a time the clocks skipped (spring 1399) as that many minutes past the jump', () => {
      // 1399/01/02 00:00 +03:30 became 01:00 +04:30: 00:30 did not exist.
      expect(parseDateInput('1399/01/02 00:30').toISOString()).toBe('2020-03-20T21:00:00.000Z');
    });

    it('reads a time the clocks showed twice (autumn 1399) as the first', () => {
      expect(parseDateInput('1399/06/30 23:30').toISOString()).toBe('2020-09-20T19:00:00.000Z');
    });

    it.each([
      ['a month that does not exist', '1403/13/40', /1403\/13\/40 is not a Jalali date: there is no month 13/],
      ['month zero', '1403/00/10', /there is no month 0/],
      ['day zero', '1403/01/00', /there is no day 0/],
      ['31 Esfand', '1403/12/31', /month 12 of 1403 has 30 days/],
      ['30 Esfand of a common year', '1404/12/30', /month 12 of 1404 has 29 days/],
      ['31 Mehr', '1403/07/31', /month 7 of 1403 has 30 days/],
      ['29 February of a common year', '2025-02-29', /2025-02-29 is not a Gregorian date/],
      ['month 13 in ISO', '2024-13-01', /not a Gregorian date/],
      ['hour 24', '1403/09/12 24:00', /24:00:00 is not a time of day/],
      ['minute 60', '2024-12-02T10:60', /10:60:00 is not a time of day/],
      ['an impossible offset', '2024-12-02T10:00+03:75', /\+03:75 is not a UTC offset/],
      ['a Gregorian date with slashes', '2024/12/02', /a Gregorian date is written 2024-12-02/],
      ['words', 'فردا ساعت ۱۰', /cannot read "فردا ساعت ۱۰" as a date/],
      ['an empty string', '', /cannot read "" as a date/],
      ['a two-digit year', '03/09/12', /cannot read/],
    ])('rejects %s with a RangeError', (_case, text, message) => {
      expect(() => parseDateInput(text)).toThrow(RangeError);
      expect(() => parseDateInput(text)).toThrow(message);
    });

    it('reads back what formatJalali writes, to the minute, on any date', () => {
      fc.assert(
        fc.property(fc.date({ min: at('1950-01-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
          const written = formatJalali(date, { withTime: true });
          expect(formatJalali(parseDateInput(written), { withTime: true })).toBe(written);
        }),
        { numRuns: 1000 },
      );
    });

    it('reads back the very instant, to the minute, since Tehran stopped changing its clocks', () => {
      fc.assert(
        fc.property(fc.date({ min: at('2023-01-01T00:00:00Z'), max: at('2100-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
          const minute = new Date(Math.floor(date.getTime() / 60_000) * 60_000);
          expect(parseDateInput(formatJalali(date, { withTime: true, persianDigits: true }))).toEqual(minute);
        }),
        { numRuns: 1000 },
      );
    });
  });

  describe('jalaliToDate', () => {
    it('gives the instant of a Jalali date and time in Tehran', () => {
      expect(jalaliToDate(1404, 1, 1).toISOString()).toBe('2025-03-20T20:30:00.000Z');
      expect(jalaliToDate(1403, 9, 12, 10, 0).toISOString()).toBe('2024-12-02T06:30:00.000Z');
    });

    it('rejects a date the calendar does not have with a RangeError', () => {
      expect(() => jalaliToDate(1404, 12, 30)).toThrow(new RangeError('1404/12/30 is not a Jalali date: month 12 of 1404 has 29 days'));
    });
  });
});
