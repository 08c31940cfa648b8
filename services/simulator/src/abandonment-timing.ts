import type { AnsweredBy } from '@sipflow/codec';
import type { CallTiming } from './outcome-mix';
import type { Prng } from './prng';

/** The campaign whose abandonment drifts upward, and every other campaign's steady rate. */
export const DRIFTING_CAMPAIGN = 'cmp-solar-leads';
const STEADY_RATE = 0.01;
/** The drifting campaign reaches its final rate after this many events of the run. */
export const DRIFT_EVENTS = 20_000;
/** Abandoned calls that heard no recorded message: a dialer whose message prompt failed. */
const NO_MESSAGE_SHARE = 0.02;

export type DialerTiming = {
  ringingAt: number | null;
  answeredAt: number | null;
  agentConnectedAt: number | null;
  abandoned: boolean | null;
  abandonMessagePlayed: boolean | null;
};

/** The share of person-answered calls a campaign's dialer abandons at event `n` of the run. */
export function abandonRate(campaignId: string, n: number, driftTo: number): number {
  if (campaignId !== DRIFTING_CAMPAIGN) return STEADY_RATE;
  return STEADY_RATE + (driftTo - STEADY_RATE) * Math.min(1, n / DRIFT_EVENTS);
}

/**
 * What a predictive dialer reports of one attempt's timing: when the phone rang, when it was
 * answered, and when a representative was connected, or that none was free and the call was
 * abandoned (with the recorded message, nearly always). Machine and fax answers need no
 * representative: neither connected nor abandoned.
 */
export function dialerTiming(
  call: {
    campaignId: string;
    sipCode: number;
    startedAt: number;
    endedAt: number;
    timing: CallTiming;
    answeredBy: AnsweredBy | null;
  },
  n: number,
  driftTo: number,
  rng: Prng,
): DialerTiming {
  const rings = call.timing === 'answered' || call.timing === 'ringing' || call.timing === 'timer-b';
  const ringingAt = rings ? Math.min(call.startedAt + rng.int(500, 3_000), call.endedAt) : null;
  if (call.sipCode < 200 || call.sipCode >= 300 || ringingAt === null)
    return {
      ringingAt,
      answeredAt: null,
      agentConnectedAt: null,
      abandoned: null,
      abandonMessagePlayed: null,
    };
  // answered calls last at least 10 s (call-timing.ts): the answer comes before the last second
  const answeredAt = Math.min(ringingAt + rng.int(4_000, 18_000), call.endedAt - 1_000);
  if (call.answeredBy === 'MACHINE' || call.answeredBy === 'FAX')
    return { ringingAt, answeredAt, agentConnectedAt: null, abandoned: null, abandonMessagePlayed: null };
  if (rng.chance(abandonRate(call.campaignId, n, driftTo)))
    return {
      ringingAt,
      answeredAt,
      agentConnectedAt: null,
      abandoned: true,
      abandonMessagePlayed: !rng.chance(NO_MESSAGE_SHARE),
    };
  return {
    ringingAt,
    answeredAt,
    agentConnectedAt: answeredAt + rng.int(200, 1_900),
    abandoned: false,
    abandonMessagePlayed: null,
  };
}
