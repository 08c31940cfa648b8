/** Q.850 cause values are 7 bits wide: 0–127. */
export const Q850_CAUSE_MIN = 0;
export const Q850_CAUSE_MAX = 127;

/** Q.850 §2.2.5 groups causes by their upper three bits. */
const CLASS_NAMES = [
  'normal event',
  'normal event',
  'resource unavailable',
  'service or option not available',
  'service or option not implemented',
  'invalid message',
  'protocol error',
  'interworking',
] as const;
export type Q850CauseClass = (typeof CLASS_NAMES)[number];

export function isQ850Cause(cause: number): boolean {
  return Number.isInteger(cause) && cause >= Q850_CAUSE_MIN && cause <= Q850_CAUSE_MAX;
}

/** The Q.850 class of a cause value, or undefined outside 0–127. */
export function q850CauseClass(cause: number): Q850CauseClass | undefined {
  return isQ850Cause(cause) ? CLASS_NAMES[cause >> 4] : undefined;
}
