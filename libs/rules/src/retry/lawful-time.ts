import { regionSchedules } from '../jurisdiction/compile-profile';
import { mergeSchedules } from '../jurisdiction/merge-schedules';
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

/** The constraints of one zone merged into one (see mergeSchedules): one per zone. */
export function mergedByClock(constraints: readonly Constraint[]): Constraint[] {
  const clocks = [...new Set(constraints.map((c) => c.clock))];
  return clocks.map((clock) => ({
    clock,
    schedule: mergeSchedules(constraints.filter((c) => c.clock === clock).map((c) => c.schedule)),
  }));
}

/**
 * firstLawfulTime over the merged constraints, then, only when the time moved, which of the
 * original constraints moved it: the one whose own next opening is latest (the binding one), with
 * the holiday it skipped.
 */
export function lawfulTime(
  earliest: number,
  merged: readonly Constraint[],
  constraints: readonly Constraint[],
  limit: number = earliest + RETRY_HORIZON_DAYS * DAY_MS,
): LawfulTime | null {
  const found = firstLawfulTime(earliest, merged, limit);
  if (found === null || found.at === earliest) return found;
  let movedBy: Constraint | null = null;
  let latest = earliest;
  let skipped: string | null = null;
  for (const constraint of constraints) {
    const opening = nextOpening(earliest, constraint.clock, constraint.schedule);
    if (opening !== null && opening.at > latest) {
      latest = opening.at;
      movedBy = constraint;
      skipped =
        opening.skippedHoliday === null ? null : `${opening.skippedHoliday} (${constraint.schedule.name})`;
    }
  }
  return { at: found.at, movedBy, skippedHoliday: skipped };
}

/**
 * The first instant at or after `earliest` allowed by every constraint, or null when there is none
 * up to `limit`. Moves to each constraint's next opening in turn until all agree:
 * every step only moves later, and an instant all allow stops it, so the answer is the earliest
 * instant in the intersection (each nextOpening is the earliest for its own constraint).
 */
export function firstLawfulTime(
  earliest: number,
  constraints: readonly Constraint[],
  /** The latest instant accepted: RETRY_HORIZON_DAYS after `earliest` unless the caller says. */
  limit: number = earliest + RETRY_HORIZON_DAYS * DAY_MS,
): LawfulTime | null {
  if (constraints.length === 1) {
    // one zone (most parties): its next opening is the answer, no round to confirm it
    const only = constraints[0]!;
    const opening = nextOpening(earliest, only.clock, only.schedule);
    if (opening === null || opening.at > limit) return null;
    return opening.at === earliest
      ? { at: earliest, movedBy: null, skippedHoliday: null }
      : { at: opening.at, movedBy: only, skippedHoliday: opening.skippedHoliday };
  }
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
