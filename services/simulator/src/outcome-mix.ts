import { weightedPicker, type Prng } from './prng';

/** What happened on the wire before the final response: decides how long the attempt lasted. */
export type CallTiming = 'answered' | 'ringing' | 'busy' | 'timer-b' | 'fast-fail';

export type Outcome = {
  sipCode: number;
  sipReason: string;
  /** the Q.850 cause a gateway sends with this code (Reason header); null = no Reason header */
  pickCause: (rng: Prng) => number | null;
  /** share of responses carrying Retry-After, and its range in seconds */
  retryAfter?: { chance: number; min: number; max: number };
  timing: CallTiming;
  /** a dialer does not call the lead again after this (answered, invalid, blocked, declined) */
  closesLead: boolean;
};

/**
 * The outcome mix an outbound dialer sees, by weight (per mille, roughly): mostly no-answer, busy
 * and answered; some invalid numbers, declines and carrier failures; rare blocks and spam labels.
 * 486 and 503 carry congestion causes (34, 42, 47) now and then so CONGESTION rules get traffic.
 */
// prettier-ignore
const OUTCOMES: ReadonlyArray<readonly [Outcome, number]> = [
  [o(480, 'Temporarily Unavailable', 'ringing', false, [[18, 45], [19, 35], [null, 20]], { chance: 0.1, min: 60, max: 1800 }), 230],
  [o(200, 'OK', 'answered', true, [[16, 40], [null, 60]]), 200],
  [o(486, 'Busy Here', 'busy', false, [[17, 75], [34, 5], [42, 3], [47, 2], [null, 15]], { chance: 0.08, min: 60, max: 900 }), 170],
  [o(487, 'Request Terminated', 'ringing', false, [[16, 10], [null, 90]]), 90],
  [o(408, 'Request Timeout', 'timer-b', false, [[102, 40], [18, 20], [null, 40]]), 60],
  [o(404, 'Not Found', 'fast-fail', true, [[1, 85], [null, 15]]), 45],
  [o(503, 'Service Unavailable', 'fast-fail', false, [[38, 25], [41, 25], [34, 20], [42, 15], [null, 15]], { chance: 0.35, min: 30, max: 300 }), 40],
  [o(603, 'Decline', 'ringing', true, [[21, 80], [null, 20]]), 35],
  [o(500, 'Server Internal Error', 'fast-fail', false, [[41, 30], [127, 20], [null, 50]]), 15],
  [o(410, 'Gone', 'fast-fail', true, [[22, 80], [null, 20]]), 8],
  [o(484, 'Address Incomplete', 'fast-fail', true, [[28, 80], [null, 20]]), 8],
  [o(403, 'Forbidden', 'fast-fail', true, [[21, 70], [null, 30]]), 10],
  [o(607, 'Unwanted', 'ringing', true, [[21, 30], [null, 70]]), 4],
  [o(608, 'Rejected', 'fast-fail', true, [[21, 20], [null, 80]]), 4],
  [o(600, 'Busy Everywhere', 'busy', false, [[17, 80], [null, 20]]), 4],
  [o(604, 'Does Not Exist Anywhere', 'fast-fail', true, [[1, 80], [null, 20]]), 4],
];

export const pickOutcome = weightedPicker(OUTCOMES);

function o(
  sipCode: number,
  sipReason: string,
  timing: CallTiming,
  closesLead: boolean,
  causes: ReadonlyArray<readonly [cause: number | null, weight: number]>,
  retryAfter?: Outcome['retryAfter'],
): Outcome {
  const pickCause = weightedPicker(causes);
  return { sipCode, sipReason, timing, closesLead, pickCause, ...(retryAfter ? { retryAfter } : {}) };
}
