/** What a calling-window search asks of a region's holidays. */
export interface HolidayLookup {
  /** The id of the no-call holiday on that local epoch day, or undefined. */
  holidayOn(epochDay: number): string | undefined;
}

/** Local hours [start, end) in minutes after local midnight. */
export interface DayWindow {
  readonly startMinute: number;
  readonly endMinute: number;
}

/**
 * When calls are allowed in one jurisdiction, in the called party's local time: windows per day
 * of week (none on a day means no calls that day), minus holidays.
 */
export interface CallingSchedule {
  /** "US-FL", "US", "campaign". */
  readonly name: string;
  /** "08:00–20:00" or "Mon–Sat 09:00–21:00, Sun 12:00–21:00", for explanations. */
  readonly hours: string;
  /** The statute or regulation, or null for the campaign's own window. */
  readonly source: string | null;
  /** Index 0 = Sunday; windows sorted by start and not overlapping. */
  readonly week: readonly (readonly DayWindow[])[];
  readonly holidays: HolidayLookup | null;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

function windowsText(windows: readonly DayWindow[]): string {
  return windows.length === 0
    ? 'none'
    : windows.map((w) => `${hhmm(w.startMinute)}–${hhmm(w.endMinute)}`).join(', ');
}

/** "08:00–20:00" when every day is the same, else runs of equal days: "Mon–Sat 08:00–20:00, Sun none". */
export function describeWeek(week: readonly (readonly DayWindow[])[]): string {
  const texts = week.map(windowsText);
  if (texts.every((t) => t === texts[0])) return texts[0]!;
  // Monday first, as people read a week.
  const order = [1, 2, 3, 4, 5, 6, 0];
  const runs: string[] = [];
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && texts[order[j + 1]!] === texts[order[i]!]) j++;
    const days = i === j ? DAY_NAMES[order[i]!] : `${DAY_NAMES[order[i]!]}–${DAY_NAMES[order[j]!]}`;
    runs.push(`${days} ${texts[order[i]!]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** The same window every day, no holidays: the campaign's callingWindow. */
export function dailySchedule(
  name: string,
  window: DayWindow,
  source: string | null = null,
): CallingSchedule {
  const week = Array.from({ length: 7 }, () => Object.freeze([window]));
  return Object.freeze({
    name,
    hours: describeWeek(week),
    source,
    week: Object.freeze(week),
    holidays: null,
  });
}

/** "US-FL 08:00–20:00 (Fla. Stat. § 501.616(6)(a))", or "08:00–21:00" for a campaign window. */
export function scheduleLabel(schedule: CallingSchedule): string {
  if (schedule.source === null) return schedule.hours;
  const holidays = schedule.holidays === null ? '' : ', no calls on its holidays';
  return `${schedule.name} ${schedule.hours}${holidays} (${schedule.source})`;
}
