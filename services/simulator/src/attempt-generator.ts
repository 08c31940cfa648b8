import type { CallAttempt } from '@sipflow/codec';
import { callDurationMs } from './call-timing';
import { pickCarrier } from './geography';
import { uuidV4 } from './identifiers';
import { createLeadPool } from './lead-pool';
import { pickOutcome } from './outcome-mix';
import { createPrng } from './prng';

export type AttemptGeneratorOptions = {
  seed: number;
  /** where the generator's own clock starts, for calls to next() without a time */
  startTime?: number;
};

export type AttemptGenerator = {
  /**
   * The next call attempt, ending at `now` (epoch ms). Without `now` it ends on the generator's
   * own clock, which advances a seeded 0–200 ms per event: then the whole event, timestamps
   * included, follows from the seed.
   */
  next(now?: number): CallAttempt;
};

/** A fixed instant (Monday 2025-01-06 15:00 UTC, mid-morning in New York) so a seed alone reproduces. */
const DEFAULT_START_TIME = Date.UTC(2025, 0, 6, 15, 0, 0);

/** Pure and deterministic: the same seed (and the same `now` values) give the same events. */
export function createAttemptGenerator({
  seed,
  startTime = DEFAULT_START_TIME,
}: AttemptGeneratorOptions): AttemptGenerator {
  const rng = createPrng(seed);
  const leads = createLeadPool(rng);
  let clock = startTime;

  return {
    next(now) {
      clock = now ?? clock + rng.int(0, 200);
      const lead = leads.next();
      const outcome = pickOutcome(rng);
      if (outcome.closesLead) leads.close(lead);
      const retryAfter = outcome.retryAfter;
      return {
        eventId: uuidV4(rng),
        leadId: lead.leadId,
        campaignId: lead.campaignId,
        phoneNumber: lead.phoneNumber,
        callerId: lead.callerId,
        sipCode: outcome.sipCode,
        sipReason: outcome.sipReason,
        q850Cause: outcome.pickCause(rng),
        retryAfterSeconds:
          retryAfter && rng.chance(retryAfter.chance) ? rng.int(retryAfter.min, retryAfter.max) : null,
        attemptNumber: lead.attempts,
        startedAt: clock - callDurationMs(outcome.timing, rng),
        endedAt: clock,
        leadTimezone: lead.timeZone,
        carrier: rng.chance(0.96) ? pickCarrier(lead.country, rng) : null,
        // derived from the area code downstream, as most dialers leave it to the processor
        reasonHeader: null,
        leadRegion: null,
        answeredBy: null,
      };
    },
  };
}
