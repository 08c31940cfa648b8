const FNV_OFFSET_BASIS = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * A number in [0, 1) derived from the text alone (32-bit FNV-1a over its UTF-16 code units).
 * Seeding retry jitter from the event id spreads retries without Math.random, so a replay of the
 * same event computes the same retry time.
 */
export function unitHash(text: string): number {
  let hash = FNV_OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), FNV_PRIME);
  }
  return (hash >>> 0) / 0x1_0000_0000;
}
