import { regionSchedules } from '../jurisdiction/compile-profile';
import type { CallingSchedule } from '../jurisdiction/schedule';
import type { CampaignPolicy } from '../rules-file/compiled';
import { nextOpening } from '../time/calling-window';
import { DAY_MS } from '../time/units';
import type { ZoneClock } from '../time/zone-clock';

/** A schedule read in one of the party's zones. */
export interface Constraint {
  readonly schedule: CallingSchedule;
  readonly clock: ZoneClock;
}

export interface LawfulTime {
  readonly at: number;
  /** The constraint that set `at` last (the binding one), or null when `at` was already allowed. */
  readonly movedBy: Constraint | null;
  /** A holiday skipped on the way and whose it is, e.g. "thanksgiving (US-AL)", or null. */
  readonly skippedHoliday: string | null;
}

/** How far past the earliest retry time a lawful one is looked for before giving up. */
export const RETRY_HORIZON_DAYS = 14;
// Each round moves the time to some constraint's next opening, so it ends after a few rounds;
// the bound only guards against a bug turning into a hang.
const MAX_ROUNDS = 64;

/** Every calling schedule that applies to the party: the campaign's, then each region's, in every zone. */
export function constraintsFor(
  location: { readonly regions: readonly string[]; readonly clocks: readonly ZoneClock[] },
  policy: CampaignPolicy,
): Constraint[] {
  const schedules: CallingSchedule[] = [policy.campaignSchedule];
  if (policy.profile !== null) {
    for (const region of location.regions) {
      for (const schedule of regionSchedules(policy.profile, region, policy)) {
        if (!schedules.includes(schedule)) schedules.push(schedule);
      }
    }
  }
  const constraints: Constraint[] = [];
  for (const clock of location.clocks) {
    for (const schedule of schedules) constraints.push({ schedule, clock });
  }
  return constraints;
}

/**
 * The first instant at or after `earliest` allowed by every constraint, or null when there is none
 * within RETRY_HORIZON_DAYS. Moves to each constraint's next opening in turn until all agree:
 * every step only moves later, and an instant all allow stops it, so the answer is the earliest
 * instant in the intersection (each nextOpening is the earliest for its own constraint).
 */
export function firstLawfulTime(earliest: number, constraints: readonly Constraint[]): LawfulTime | null {
  const limit = earliest + RETRY_HORIZON_DAYS * DAY_MS;
  let at = earliest;
  let movedBy: Constraint | null = null;
  let skippedHoliday: string | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    let moved = false;
    for (const constraint of constraints) {
      const opening = nextOpening(at, constraint.clock, constraint.schedule);
      if (opening === null || opening.at > limit) return null;
      if (opening.at > at) {
        at = opening.at;
        movedBy = constraint;
        if (opening.skippedHoliday !== null) {
          skippedHoliday ??= `${opening.skippedHoliday} (${constraint.schedule.name})`;
        }
        moved = true;
      }
    }
    if (!moved) return { at, movedBy, skippedHoliday };
  }
  return null;
}
