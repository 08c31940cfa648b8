import { SIP_CLASSES } from '@sipflow/sip';
import { z } from 'zod';
import { abandonmentSchema } from '../abandonment/schema';
import { ACTIONS, ANSWERED_BY, DISPOSITIONS } from '../dispositions';
import { MAX_ENTRIES_PER_NUMBER } from '../history/number-history';

const DURATION_UNITS_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90s", "10m", "2h", "1d" → milliseconds. */
const duration = z
  .string()
  .regex(/^[1-9]\d*[smhd]$/, 'expected a duration such as "90s", "10m", "2h" or "1d"')
  .transform(
    (text) => Number(text.slice(0, -1)) * DURATION_UNITS_MS[text.slice(-1) as keyof typeof DURATION_UNITS_MS],
  );

/** "08:00" → minutes after midnight; "24:00" allowed as a closing time. */
const localTime = z
  .string()
  .regex(/^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected a local time "HH:MM"')
  .transform((text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3)));

/**
 * `{ count: 3, per: 24h }`: at most `count` calls to one number in any period of `per`. The count
 * is bounded by what the per-number state keeps of one number (MAX_ENTRIES_PER_NUMBER).
 */
export const frequencyCapSchema = z.strictObject({
  count: z
    .number()
    .int()
    .min(1)
    .max(MAX_ENTRIES_PER_NUMBER - 1),
  per: duration,
  /** The provision the cap comes from when it is not the entry's `source` (a profile entry's cap). */
  source: z.string().min(1).optional(),
});

const sipCode = z.number().int().min(100).max(699);
const q850Cause = z.number().int().min(0).max(127);

export const sipMatchSchema = z.union([sipCode, z.array(sipCode).min(1), z.enum(SIP_CLASSES)], {
  error: 'expected a SIP code 100–699, a list of codes, or a class such as "5xx"',
});

const q850MatchSchema = z.union([q850Cause, z.array(q850Cause).min(1)], {
  error: 'expected a Q.850 cause 0–127 or a list of causes',
});

/** Signals read from the response beyond its code and cause; each is detected in libs/sip. */
export const SIGNALS = ['network-blocked'] as const;
export type Signal = (typeof SIGNALS)[number];

const carrierMatchSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: 'expected a carrier name or a list of names',
});

const answeredByMatchSchema = z.union([z.enum(ANSWERED_BY), z.array(z.enum(ANSWERED_BY)).min(1)], {
  error: `expected one of ${ANSWERED_BY.join(', ')} or a list of them`,
});

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case id such as "busy-here"'),
  match: z.strictObject({
    sip: sipMatchSchema,
    q850: q850MatchSchema.optional(),
    /** network-blocked: a SIP 603+ (reason phrase "Network Blocked" or the ATIS-1000099 Reason header). */
    signal: z.enum(SIGNALS).optional(),
    /** The event's `carrier`, compared case-insensitively: for carriers known to send misleading causes. */
    carrier: carrierMatchSchema.optional(),
    /** The event's `answeredBy` (answering-machine detection): a rule for machine or fax answers. */
    answeredBy: answeredByMatchSchema.optional(),
  }),
  disposition: z.enum(DISPOSITIONS),
  action: z.enum(ACTIONS),
  /** Overrides retry.delays[disposition] for this rule; only with action RETRY. */
  retryDelay: duration.optional(),
  /** Only with REMOVE_LEAD: NUMBER (the number is invalid) or LEAD (the person; the default). */
  scope: z.enum(['LEAD', 'NUMBER']).optional(),
  /** Only with REMOVE_LEAD: also emit a do-not-call entry for the number. */
  doNotCall: z.strictObject({ reason: z.string().min(1), expiresAfter: duration.optional() }).optional(),
  /** Completes "SIP 486 Busy Here means …" in explanations. */
  meaning: z.string().min(1),
});

const callingWindowSchema = z.strictObject({ start: localTime, end: localTime });

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export { WEEKDAYS };

/** A day's calling hours: `none`, one window, or several (which must not overlap). */
const dayHoursSchema = z.union(
  [z.literal('none'), callingWindowSchema, z.array(callingWindowSchema).min(1)],
  { error: 'expected none, a window { start, end }, or a list of windows' },
);

const holidaySchema = z.union(
  [
    z.strictObject({ month: z.number().int().min(1).max(12), day: z.number().int().min(1).max(31) }),
    z.strictObject({
      month: z.number().int().min(1).max(12),
      weekday: z.enum(WEEKDAYS),
      /** 1–5, or "last": "fourth Thursday of November" is { month: 11, weekday: thu, nth: 4 }. */
      nth: z.union([z.number().int().min(1).max(5), z.literal('last')]),
    }),
    z.strictObject({
      month: z.number().int().min(1).max(12),
      weekday: z.enum(WEEKDAYS),
      /** The first such weekday on or after this day: US Election Day is { month: 11, weekday: tue, onOrAfterDay: 2 }. */
      onOrAfterDay: z.number().int().min(1).max(31),
    }),
    /** Days from Western (Gregorian) Easter Sunday: Good Friday is { easter: -2 }. */
    z.strictObject({ easter: z.number().int().min(-60).max(60) }),
  ],
  {
    error: 'expected { month, day }, { month, weekday, nth }, { month, weekday, onOrAfterDay } or { easter }',
  },
);

/** How a state moves a holiday that falls on a weekend (its legal-holiday statute says which). */
export const OBSERVANCES = ['none', 'nearest-weekday', 'sunday-to-monday', 'saturday-both-sides'] as const;

export const APPLIES_TO = [
  'solicitation',
  'automated-solicitation',
  'prerecorded-solicitation',
  'all',
] as const;

const regionRulesSchema = z.strictObject({
  /** The statute or regulation, e.g. "Fla. Stat. § 501.616(6)(a)". */
  source: z.string().min(1),
  /** Hours on every day `days` does not override. */
  hours: callingWindowSchema,
  days: z.partialRecord(z.enum(WEEKDAYS), dayHoursSchema).optional(),
  holidays: z
    .strictObject({ dates: z.array(z.string().min(1)).min(1), observed: z.enum(OBSERVANCES).default('none') })
    .optional(),
  /**
   * Which attempts the entry binds: `solicitation` (campaigns whose callPurpose is solicitation),
   * `automated-solicitation` (those dialed with automated equipment, `automatedDialing`),
   * `prerecorded-solicitation` (those playing recorded messages, `prerecordedMessages`), or `all`.
   */
  appliesTo: z.enum(APPLIES_TO).default('solicitation'),
  /** A statutory cap on calls to one number, e.g. Florida's 3 per 24 h: needs per-number state. */
  maxAttempts: frequencyCapSchema.optional(),
});

/** ISO 3166-2 ("US-FL") or a country ("US", applying to all its subdivisions). */
const regionCode = z
  .string()
  .regex(
    /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/,
    'expected an ISO 3166-2 code such as "US-FL", or a country such as "US"',
  );

export const jurisdictionProfileSchema = z.strictObject({
  holidays: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case holiday id'), holidaySchema)
    .default({}),
  /** One entry per region, or several when different laws bind different calls (automated, prerecorded). */
  regions: z.record(regionCode, z.union([regionRulesSchema, z.array(regionRulesSchema).min(1)])),
});

const leadAttempts = z.number().int().min(1);
const attemptLimit = z.union([leadAttempts, frequencyCapSchema], {
  error: 'expected a number of attempts per lead, or a cap { count, per } such as { count: 3, per: 24h }',
});

const policyFields = {
  timeZone: z.string().min(1),
  /**
   * A number N: no retry once the lead's attemptNumber reaches N. A cap `{ count, per }`: no retry
   * that would make more than `count` calls to the number within any `per`. Or a list of both.
   */
  maxAttempts: z.union([attemptLimit, z.array(attemptLimit).min(1)], {
    error: 'expected a number, a cap { count, per }, or a list of them',
  }),
  /**
   * `{ count: 5, per: 7d }`: no retry once this many calls in a row to the number (from any lead)
   * went unanswered (NO_ANSWER or BUSY) within `per`; `off` (the default) keeps retrying.
   */
  stopAfterUnanswered: z.union([z.literal('off'), frequencyCapSchema], {
    error: 'expected off or { count, per } such as { count: 5, per: 7d }',
  }),
  callingWindow: callingWindowSchema,
  /** Turn DECLINED (603) into REMOVE_LEAD instead of the rule's action. */
  removeLeadOnDecline: z.boolean(),
  /** The jurisdiction profile whose regional rules apply on top of callingWindow; none: only it. */
  jurisdictionProfile: z.string().min(1),
  /** solicitation: telemarketing rules apply (the strict default); other: only `appliesTo: all` entries. */
  callPurpose: z.enum(['solicitation', 'other']),
  /** Whether the campaign dials with automated equipment (an autodialer, an ATDS): most dialers do. */
  automatedDialing: z.boolean(),
  /** Whether the campaign's calls play a prerecorded message (an ADAD call). */
  prerecordedMessages: z.boolean(),
};

export const rulesFileSchema = z.strictObject({
  version: z.string({ error: 'expected a string; quote it in YAML, e.g. version: "1.0"' }).min(1),
  // Files written before profiles existed get the shipped US profile: the stricter, lawful default.
  defaults: z.strictObject({
    ...policyFields,
    jurisdictionProfile: policyFields.jurisdictionProfile.default('us'),
    callPurpose: policyFields.callPurpose.default('solicitation'),
    automatedDialing: policyFields.automatedDialing.default(true),
    prerecordedMessages: policyFields.prerecordedMessages.default(false),
    stopAfterUnanswered: policyFields.stopAfterUnanswered.default('off'),
  }),
  retry: z.strictObject({
    /** Fraction of the delay added at most, seeded from the event id: 0.1 = up to +10 %. */
    jitter: z.number().min(0).max(1),
    delays: z.partialRecord(z.enum(DISPOSITIONS), duration),
  }),
  campaigns: z.record(z.string().min(1), z.strictObject(policyFields).partial()).default({}),
  /** Profiles by name, beside the shipped `us` (a profile named `us` here replaces it). */
  jurisdictionProfiles: z
    .record(
      z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case profile name'),
      jurisdictionProfileSchema,
    )
    .default({}),
  rules: z.array(ruleSchema).min(1),
  /** The abandoned-call ledger (docs/abandonment.md); every setting has a default. */
  abandonment: abandonmentSchema.prefault({}),
});

export type RulesFile = z.output<typeof rulesFileSchema>;
export type RuleEntry = z.output<typeof ruleSchema>;
export type SipMatch = z.output<typeof sipMatchSchema>;
export type JurisdictionProfileFile = z.output<typeof jurisdictionProfileSchema>;
export type RegionRulesFile = z.output<typeof regionRulesSchema>;
export type HolidayFile = z.output<typeof holidaySchema>;
export type DayHoursFile = z.output<typeof dayHoursSchema>;
export type FrequencyCapFile = z.output<typeof frequencyCapSchema>;
