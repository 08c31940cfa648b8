import { callerIdFor, pickRegion, phoneNumberIn, type Country } from './geography';
import type { Prng } from './prng';

/** A dialer stops calling a lead after this many attempts. */
export const MAX_ATTEMPTS = 6;

/** Leads being worked at once: big enough to interleave, small enough that leads come back. */
const TARGET_ACTIVE = 400;

const CAMPAIGNS = [
  'cmp-spring-renewals',
  'cmp-solar-leads',
  'cmp-insurance-quotes',
  'cmp-nps-survey',
  'cmp-collections-30d',
];

export type Lead = {
  readonly leadId: string;
  readonly campaignId: string;
  readonly phoneNumber: string;
  readonly country: Country;
  readonly timeZone: string | null;
  /** a campaign presents the same local number to a lead each time */
  readonly callerId: string | null;
  attempts: number;
};

export type LeadPool = {
  /** the lead to call next, its attempt count already incremented */
  next(): Lead;
  /** takes the lead out of rotation (answered, invalid, blocked…) */
  close(lead: Lead): void;
};

/**
 * Leads come back for more attempts, as in a real dialer: a lead is re-dialled until an outcome
 * closes it or it reaches MAX_ATTEMPTS, so attemptNumber climbs per lead.
 */
export function createLeadPool(rng: Prng): LeadPool {
  const active: Lead[] = [];

  const remove = (lead: Lead): void => {
    const index = active.indexOf(lead);
    if (index < 0) return;
    // swap-remove: order in the pool does not matter and this stays O(1) after the lookup
    active[index] = active[active.length - 1]!;
    active.pop();
  };

  return {
    next() {
      const fresh = active.length === 0 || rng.chance(active.length < TARGET_ACTIVE ? 0.6 : 0.15);
      const lead = fresh ? newLead(rng) : rng.pick(active);
      if (fresh) active.push(lead);
      lead.attempts++;
      if (lead.attempts >= MAX_ATTEMPTS) remove(lead);
      return lead;
    },
    close: remove,
  };
}

function newLead(rng: Prng): Lead {
  const region = pickRegion(rng);
  return {
    leadId: `lead-${rng.hex(12)}`,
    campaignId: rng.pick(CAMPAIGNS),
    phoneNumber: phoneNumberIn(region, rng),
    country: region.country,
    // some CRMs never filled the time zone in: the processor must cope with null
    timeZone: rng.chance(0.05) ? null : region.timeZone,
    callerId: rng.chance(0.92) ? callerIdFor(region.country, rng) : null,
    attempts: 0,
  };
}
