import type { Prng } from './prng';

/** A UUID in version-4 layout from the seeded PRNG (crypto.randomUUID would not be reproducible). */
export function uuidV4(rng: Prng): string {
  const hex = rng.hex(32);
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** A W3C Trace Context `traceparent` (version 00, sampled), as an instrumented dialer would send. */
export function traceparent(rng: Prng): string {
  return `00-${rng.hex(32)}-${rng.hex(16)}-01`;
}
