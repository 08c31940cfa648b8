import type { Prng } from './prng';
import type { CallTiming } from './outcome-mix';

const SECOND = 1000;

/** How long an attempt lasted, from INVITE to final response (or to hang-up when answered). */
export function callDurationMs(timing: CallTiming, rng: Prng): number {
  switch (timing) {
    case 'answered':
      return ringMs(rng, 5, 20) + talkMs(rng);
    case 'ringing':
      return ringMs(rng, 5, 40);
    case 'busy':
      return ringMs(rng, 1, 6);
    case 'timer-b':
      // INVITE transaction timeout: 64 × T1 = 32 s, give or take the gateway's own timers
      return ringMs(rng, 30, 34);
    case 'fast-fail':
      return rng.int(100, 3 * SECOND);
  }
}

function ringMs(rng: Prng, minSeconds: number, maxSeconds: number): number {
  return rng.int(minSeconds * SECOND, maxSeconds * SECOND);
}

/** Talk time: exponential with a 90 s mean (most calls are short, a few long), 5 s to 30 min. */
function talkMs(rng: Prng): number {
  const seconds = 5 + -Math.log(1 - rng.float()) * 90;
  return Math.round(Math.min(seconds, 1800) * SECOND);
}
