/**
 * A small seeded PRNG (xoshiro128**, seeded through splitmix32). Not Math.random: a seed must
 * reproduce the same traffic on any machine, and xoshiro's 2^128 period outlasts any run (mulberry32
 * would cycle after 2^32 draws, a few hours at high rates).
 */
export type Prng = {
  /** a uniform float in [0, 1) */
  float(): number;
  /** a uniform integer in [min, max], both included */
  int(min: number, max: number): number;
  /** true with probability p */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** `digits` lowercase hex digits */
  hex(digits: number): string;
};

/** Independent streams from one seed (e.g. events, poison, trace headers) so each is stable alone. */
export function createPrng(seed: number, stream = 0): Prng {
  const mix = splitmix32((seed ^ Math.imul(stream, 0x9e3779b9)) >>> 0);
  let s0 = mix();
  let s1 = mix();
  let s2 = mix();
  let s3 = mix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the one state xoshiro cannot leave

  const uint32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };
  const float = (): number => uint32() / 2 ** 32;

  return {
    float,
    int: (min, max) => min + Math.floor(float() * (max - min + 1)),
    chance: (p) => float() < p,
    pick: (items) => items[Math.floor(float() * items.length)]!,
    hex: (digits) => {
      let out = '';
      while (out.length < digits) out += uint32().toString(16).padStart(8, '0');
      return out.slice(0, digits);
    },
  };
}

/** Picks from weighted items in O(log n); weights need not sum to anything in particular. */
export function weightedPicker<T>(
  items: ReadonlyArray<readonly [item: T, weight: number]>,
): (rng: Prng) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const [, weight] of items) cumulative.push((total += weight));
  return (rng) => {
    const target = rng.float() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]![0];
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function splitmix32(state: number): () => number {
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}
