import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../src/time/zone-clock';
import { zoneClock } from '../src/time/zones';
import { DST_TRANSITIONS } from './fixtures/arbitraries';

// Zones with unusual rules: 30-minute DST (Lord Howe), 45-minute offsets (Chatham, Kathmandu),
// negative DST (Dublin), DST suspended for Ramadan (Casablanca), a skipped day (Apia, 2011).
const ZONES = [
  'America/New_York',
  'Europe/London',
  'Australia/Sydney',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'Asia/Kathmandu',
  'America/St_Johns',
  'Europe/Dublin',
  'Africa/Casablanca',
  'Pacific/Apia',
  'America/Santiago',
  'Asia/Tehran',
  'UTC',
];

const YEAR = 365 * 86_400_000;

describe('ZoneClock', () => {
  it.each(ZONES)('gives the same offsets as luxon in %s, 1995–2040', (zone) => {
    const clock = new ZoneClock(zone, IANAZone.create(zone));
    const luxon = IANAZone.create(zone);
    fc.assert(
      fc.property(
        fc.integer({ min: Date.parse('1995-01-01'), max: Date.parse('2040-01-01') }),
        fc.array(fc.integer({ min: -YEAR / 4, max: YEAR / 4 }), { maxLength: 20 }),
        (start, steps) => {
          // Walk near the start instant so cached segments get reused and evicted.
          for (const ts of [start, ...steps.map((step) => start + step)]) {
            expect(clock.offsetMinutes(ts), new Date(ts).toISOString()).toBe(luxon.offset(ts));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it.each(Object.entries(DST_TRANSITIONS))(
    'switches offset at the exact millisecond in %s',
    (zone, instants) => {
      const clock = zoneClock(zone)!;
      for (const iso of instants) {
        const at = Date.parse(iso);
        expect(clock.offsetMinutes(at - 1)).not.toBe(clock.offsetMinutes(at));
        expect(clock.offsetMinutes(at - 1)).toBe(IANAZone.create(zone).offset(at - 1));
        expect(clock.offsetMinutes(at)).toBe(IANAZone.create(zone).offset(at));
      }
    },
  );

  it('resolves wall-clock times in DST gaps and overlaps, never before notBefore', () => {
    const clock = zoneClock('America/New_York')!;
    const local = (iso: string) => Date.parse(`${iso}Z`);
    // Spring forward: 02:30 does not exist; the first later local time is 03:00 EDT, when the clocks jump.
    expect(clock.instantOf(local('2026-03-08T02:30:00'), 0)).toBe(Date.parse('2026-03-08T07:00:00Z'));
    // Fall back: 01:30 happens twice, first EDT then EST.
    expect(clock.instantOf(local('2026-11-01T01:30:00'), 0)).toBe(Date.parse('2026-11-01T05:30:00Z'));
    expect(clock.instantOf(local('2026-11-01T01:30:00'), Date.parse('2026-11-01T05:31:00Z'))).toBe(
      Date.parse('2026-11-01T06:30:00Z'),
    );
    expect(clock.instantOf(local('2026-11-01T01:30:00'), Date.parse('2026-11-01T06:31:00Z'))).toBeNull();
  });

  it('knows real zones and refuses made-up ones', () => {
    expect(zoneClock('America/Chicago')?.name).toBe('America/Chicago');
    expect(zoneClock('America/Chicago')).toBe(zoneClock('America/Chicago'));
    expect(zoneClock('Mars/Olympus_Mons')).toBeUndefined();
    expect(zoneClock('')).toBeUndefined();
  });
});
