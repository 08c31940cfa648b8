import type { KeyCodec } from './value-codec';

/**
 * E.164 numbers as table keys: the digits after `+` read as one integer. Exact and one to one: at
 * most 15 digits (ITU-T E.164 § 6.1, read 2026-12-07) is below 2^50, and no country code starts
 * with 0, so no two numbers share digits. Anything else is not a key (no state).
 */
export const e164Key: KeyCodec = {
  toKey(text) {
    const n = text.length;
    if (n < 3 || n > 16 || text.charCodeAt(0) !== 43 /* + */) return undefined;
    let key = 0;
    for (let i = 1; i < n; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9 || (i === 1 && digit === 0)) return undefined;
      key = key * 10 + digit;
    }
    return key;
  },
  fromKey: (key) => `+${key}`,
};
