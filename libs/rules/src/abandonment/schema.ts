import { z } from 'zod';

/** "2026-11-02": a calendar date, read as 00:00 UTC of that day. */
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date "YYYY-MM-DD"')
  .refine((text) => new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text, {
    message: 'expected a calendar date that exists, e.g. "2026-11-02"',
  });

const groupName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected a name of letters, digits, ".", "_" or "-"');

/**
 * An abandonment group: campaigns whose calls share one 3 % ledger. The regulations measure per
 * campaign; a group of one campaign is how that campaign's own start date is given.
 */
const abandonmentGroupSchema = z.strictObject({
  campaigns: z.array(z.string().min(1)).min(1),
  /** The day the campaign (or group) began: its 30-day periods are numbered from it. */
  start: isoDate,
});

/**
 * The abandoned-call ledger's settings (docs/abandonment.md). The 3 % limit, the 2 seconds and
 * the 15 seconds of ringing are the regulations' (47 CFR 64.1200(a)(6)–(7), 16 CFR 310.4(b)(1)(iv)
 * and (b)(4)), not settings; these say when to warn and how to count what detection could not tell.
 */
export const abandonmentSchema = z.strictObject({
  /** Warn when a period's rate so far reaches this fraction (0.025 = 2.5 %). */
  warnAt: z.number().gt(0).max(0.03).default(0.025),
  /** ...and only once the period holds this many person-answered calls: a few calls say little. */
  minAnswered: z.number().int().min(1).default(100),
  /**
   * true (conservative): a call whose detection said UNKNOWN is counted as answered by a person,
   * in the denominator, and in the numerator when it was abandoned.
   */
  unknownCountsAsPerson: z.boolean().default(false),
  /** Where the periods of a campaign in no group are numbered from. */
  periodsFrom: isoDate.default('2026-01-01'),
  groups: z.record(groupName, abandonmentGroupSchema).default({}),
});

export type AbandonmentFile = z.output<typeof abandonmentSchema>;
