import type { DeadLetterRecord } from './dead-letter-record';

/**
 * Which dead letters a command works on. Times are the original record's timestamp (the
 * `sipflow-source-timestamp` header; the dead letter's own timestamp when that is missing):
 * `from` inclusive, `to` exclusive, so consecutive windows [a, b) [b, c) never take a record twice.
 */
export type Selection = {
  codes?: ReadonlySet<string>;
  from?: number;
  to?: number;
};

export function selects(selection: Selection, letter: DeadLetterRecord): boolean {
  if (selection.codes && !selection.codes.has(letter.code ?? '')) return false;
  if (selection.from !== undefined && letter.sourceTimestamp < selection.from) return false;
  if (selection.to !== undefined && letter.sourceTimestamp >= selection.to) return false;
  return true;
}
