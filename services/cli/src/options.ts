import { InvalidArgumentError } from 'commander';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of at least 1');
  return n;
}

/** An instant on the command line: ISO-8601, or epoch milliseconds. */
export function parseTime(value: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('expected an ISO-8601 time or epoch milliseconds');
  return n;
}
