import type { SipflowErrorCode } from '@sipflow/errors';
import type { Action, Disposition } from '@sipflow/rules';
import { OUTPUTS_BY_ACTION, type RecordKind } from './outputs';

/** What the pipeline did with one input record. */
export type Outcome = Classified | DeadLettered | Filtered;

/** Classified: one record per output kind the action selects (always the enriched one). */
export type Classified = {
  readonly kind: 'classified';
  readonly disposition: Disposition;
  readonly action: Action;
  readonly outputs: readonly RecordKind[];
};

/** Could not be processed: the input's bytes went to the DLQ with this code. */
export type DeadLettered = { readonly kind: 'dead-letter'; readonly code: SipflowErrorCode };

/** Left out by a replay's field filter: nothing produced. */
export type Filtered = { readonly kind: 'filtered' };

// Outcomes are interned: one frozen object per (disposition, action) and per code, so the hot path
// allocates none, counting by outcome is a Map keyed by identity, and `===` compares them.
const classifiedOutcomes = new Map<string, Classified>();
const deadLetterOutcomes = new Map<SipflowErrorCode, DeadLettered>();

export const FILTERED: Filtered = Object.freeze({ kind: 'filtered' });

export function classified(disposition: Disposition, action: Action): Classified {
  const key = `${disposition}/${action}`;
  let outcome = classifiedOutcomes.get(key);
  if (!outcome) {
    outcome = Object.freeze({ kind: 'classified', disposition, action, outputs: OUTPUTS_BY_ACTION[action] });
    classifiedOutcomes.set(key, outcome);
  }
  return outcome;
}

export function deadLettered(code: SipflowErrorCode): DeadLettered {
  let outcome = deadLetterOutcomes.get(code);
  if (!outcome) deadLetterOutcomes.set(code, (outcome = Object.freeze({ kind: 'dead-letter', code })));
  return outcome;
}

/** For people: `BUSY RETRY`, `DLQ SIPFLOW_DECODE_MAGIC_BYTE`, `FILTERED`. */
export function formatOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'classified':
      return `${outcome.disposition} ${outcome.action}`;
    case 'dead-letter':
      return `DLQ ${outcome.code}`;
    case 'filtered':
      return 'FILTERED';
  }
}
