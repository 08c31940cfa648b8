/**
 * A call's `eventId` as the per-number state keeps it: a 47-bit hash, one JavaScript number, so
 * that a history entry packs into three 32-bit words in the compact store (47 bits of key, the
 * unanswered flag and 48 bits of `startedAt` milliseconds, which reach the year 10889) and
 * comparing two is one instruction (no string, no BigInt on the hot path).
 *
 * The hash is cyrb53 (bryc, public domain; github.com/bryc/code, jshash/experimental/cyrb53.js,
 * read 2026-12-07) cut to 47 bits: two 32-bit multiply-xorshift lanes over the UTF-16 code
 * units, mixed. Not cryptographic: eventIds come from the operator's own dialers.
 *
 * What a collision would do: two different calls to one number with the same key look like one
 * call recorded twice, so the second is not counted (a cap counts one call fewer). Keys are
 * compared only among the calls one number holds (at most MAX_ENTRIES_PER_NUMBER, about three in
 * practice), so with a uniform 47-bit hash the chance that a new call collides with one of the k
 * calls its number holds is k / 2^47 ≈ k · 7.1e-15. A platform recording a billion calls a year,
 * with k = 3, expects one such collision every 47,000 years; even if every number held the
 * 500-call maximum, one every 280 years. A 64-bit key would need a fourth word per call (a third
 * more memory per number) to make a rare event rarer still.
 */
export function eventKey(eventId: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < eventId.length; i++) {
    const ch = eventId.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (0x7fff & h2) + (h1 >>> 0);
}
