export { CompactTable, MAX_VALUE_WORDS } from './compact-table';
export { CHANGELOG_VERSION, corruptRecord, encodeValue } from './changelog-value';
export { e164Key } from './e164-key';
export { historyWords, WORDS_PER_CALL } from './history-words';
export {
  KeyedStateStore,
  TableLoader,
  type ChangelogRecord,
  type KeyedStateOptions,
  type StagedBatch,
} from './keyed-state-store';
export type { KeyCodec, ValueCodec } from './value-codec';
export { decodeSnapshot, encodeSnapshot, type Snapshot } from './snapshot-file';
export { internedKey } from './interned-key';
export { ledgerWords, LEDGER_WORDS } from './ledger-words';
