// Errors (SipflowError, the codes) are imported from @sipflow/errors, the one path to them.
export {
  ACTIONS,
  ANSWERED_BY,
  DISPOSITIONS,
  type Action,
  type AnsweredBy,
  type Disposition,
} from './dispositions';
export type { CallAttempt, Enrichment } from './types';
export { validateCallAttempt } from './validation/validate-call-attempt';
export { isE164PhoneNumber } from './validation/phone-number';
export { classify } from './classify/classify';
export { explainRule, type RuleExplanation } from './classify/explain-rule';
export { formatDelay } from './classify/explanation';
export { defaultRules, loadRules, parseRules } from './rules-file/load';
export { formatSipMatch } from './rules-file/rule-codes';
export { SPECIFICITIES } from './rules-file/compiled';
export type { CampaignPolicy, CompiledRule, Rules, Specificity } from './rules-file/compiled';
export type { RulesFile } from './rules-file/schema';
export { nanpGeography, type NanpGeography } from './geography/nanp';
export { NANP_AREA_CODES, type NanpAreaCode } from './geography/nanp-area-codes';
export { builtinProfiles } from './rules-file/load';
export type { JurisdictionProfileFile } from './rules-file/schema';
export {
  attemptOf,
  compareEntries,
  EMPTY_HISTORY,
  entryBefore,
  hasAttempt,
  historyKeepMs,
  isExpired,
  isUnanswered,
  MAX_ENTRIES_PER_NUMBER,
  recordAttempt,
  type AttemptEntry,
  type NumberHistory,
} from './history/number-history';
export { eventKey } from './history/event-key';
export { capViolation, capsFor, type CapViolation } from './history/cap-check';
export { capLabel, isCapLabel, type FrequencyCap } from './history/frequency-cap';
export { profileCaps } from './jurisdiction/compile-profile';
export {
  ABANDONMENT_LIMIT,
  CONNECT_WITHIN_MS,
  MIN_RING_MS,
  PERIOD_MS,
  periodBounds,
  periodOf,
  type AbandonmentGroup,
  type AbandonmentPolicy,
} from './abandonment/policy';
export {
  callVerdict,
  type Abandonment,
  type CallVerdict,
  type LedgerAnswer,
  type LedgerCall,
} from './abandonment/call-verdict';
export {
  abandonmentRate,
  addCounts,
  countCall,
  emptyCounts,
  LEDGER_COUNT_FIELDS,
  ledgerStatus,
  type LedgerCounts,
  type LedgerStatus,
} from './abandonment/ledger';
export { LedgerBook, reportPeriod, type PeriodLedger, type PeriodReport } from './abandonment/ledger-book';
export {
  addPartial,
  alertDue,
  EMPTY_LEDGER,
  type LedgerPartial,
  type LedgerState,
} from './abandonment/ledger-update';
