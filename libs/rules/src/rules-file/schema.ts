import { SIP_CLASSES } from '@sipflow/sip';
import { z } from 'zod';
import { ACTIONS, DISPOSITIONS } from '../dispositions';

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

const sipCode = z.number().int().min(100).max(699);
const q850Cause = z.number().int().min(0).max(127);

export const sipMatchSchema = z.union([sipCode, z.array(sipCode).min(1), z.enum(SIP_CLASSES)], {
  error: 'expected a SIP code 100–699, a list of codes, or a class such as "5xx"',
});

const q850MatchSchema = z.union([q850Cause, z.array(q850Cause).min(1)], {
  error: 'expected a Q.850 cause 0–127 or a list of causes',
});

export const ruleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a kebab-case id such as "busy-here"'),
  match: z.strictObject({ sip: sipMatchSchema, q850: q850MatchSchema.optional() }),
  disposition: z.enum(DISPOSITIONS),
  action: z.enum(ACTIONS),
  /** Overrides retry.delays[disposition] for this rule; only with action RETRY. */
  retryDelay: duration.optional(),
  /** Completes "SIP 486 Busy Here means …" in explanations. */
  meaning: z.string().min(1),
});

const callingWindowSchema = z.strictObject({ start: localTime, end: localTime });

const policyFields = {
  timeZone: z.string().min(1),
  maxAttempts: z.number().int().min(1),
  callingWindow: callingWindowSchema,
  /** Turn DECLINED (603) into REMOVE_LEAD instead of the rule's action. */
  removeLeadOnDecline: z.boolean(),
};

export const rulesFileSchema = z.strictObject({
  version: z.string({ error: 'expected a string; quote it in YAML, e.g. version: "1.0"' }).min(1),
  defaults: z.strictObject(policyFields),
  retry: z.strictObject({
    /** Fraction of the delay added at most, seeded from the event id: 0.1 = up to +10 %. */
    jitter: z.number().min(0).max(1),
    delays: z.partialRecord(z.enum(DISPOSITIONS), duration),
  }),
  campaigns: z.record(z.string().min(1), z.strictObject(policyFields).partial()).default({}),
  rules: z.array(ruleSchema).min(1),
});

export type RulesFile = z.output<typeof rulesFileSchema>;
export type RuleEntry = z.output<typeof ruleSchema>;
export type SipMatch = z.output<typeof sipMatchSchema>;
