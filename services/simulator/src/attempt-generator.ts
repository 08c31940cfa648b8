import type { AnsweredBy, CallAttempt } from '@sipflow/codec';
import { dialerTiming } from './abandonment-timing';
import { callDurationMs } from './call-timing';
import { pickCarrier } from './geography';
import { uuidV4 } from './identifiers';
import { createLeadPool } from './lead-pool';
import { pickOutcome } from './outcome-mix';
import { createPrng, weightedPicker } from './prng';

export type AttemptGeneratorOptions = {
  seed: number;
  /** where the generator's own clock starts, for calls to next() without a time */
  startTime?: number;
  /**
   * Report who answered each 2xx (`answeredBy`), as a dialer running answering-machine detection
   * does. Off: answeredBy is null, and the events are the same as before the option existed.
   */
  answeringMachineDetection?: boolean;
  /**
   * Report the abandonment fields (ringingAt, answeredAt, agentConnectedAt, abandoned,
   * abandonMessagePlayed) as a predictive dialer does: every campaign abandons 1 % of the calls a
   * person answered, except cmp-solar-leads, which drifts from 1 % to this share over the first
   * 20,000 events (abandonment-timing.ts). Off (undefined): those fields are null.
   */
  abandonmentDriftTo?: number;
};

/**
 * Its own PRNG stream: turning detection on changes no other field of any event up to the first
 * machine answer (whose lead then stays in the pool, so later events differ).
 */
const AMD_STREAM = 3;
/** Likewise for the abandonment fields: turning them on changes no other field of any event. */
const ABANDONMENT_STREAM = 4;

/**
 * Who answers an outbound call that connects, by weight (per cent, roughly): voicemail takes a
 * large share of consumer calls; detection cannot tell on a few; fax lines are rare.
 */
const pickAnsweredBy = weightedPicker<AnsweredBy>([
  ['HUMAN', 55],
  ['MACHINE', 35],
  ['UNKNOWN', 8],
  ['FAX', 2],
]);

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
  answeringMachineDetection = false,
  abandonmentDriftTo,
}: AttemptGeneratorOptions): AttemptGenerator {
  const rng = createPrng(seed);
  const amd = createPrng(seed, AMD_STREAM);
  const dialer = createPrng(seed, ABANDONMENT_STREAM);
  let n = 0;
  const leads = createLeadPool(rng);
  let clock = startTime;

  return {
    next(now) {
      clock = now ?? clock + rng.int(0, 200);
      const lead = leads.next();
      const outcome = pickOutcome(rng);
      const answeredBy =
        answeringMachineDetection && outcome.timing === 'answered' ? pickAnsweredBy(amd) : null;
      // the dialer calls a lead whose voicemail answered again; any other answer closes it
      if (outcome.closesLead && answeredBy !== 'MACHINE') leads.close(lead);
      const retryAfter = outcome.retryAfter;
      const event: CallAttempt = {
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
        answeredBy,
        answeredAt: null,
        agentConnectedAt: null,
        abandoned: null,
        abandonMessagePlayed: null,
        ringingAt: null,
      };
      n++;
      if (abandonmentDriftTo === undefined) return event;
      return {
        ...event,
        ...dialerTiming({ ...event, timing: outcome.timing }, n, abandonmentDriftTo, dialer),
      };
    },
  };
}
