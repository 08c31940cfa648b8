/**
 * The closed label sets of the processor metrics. Each value is a series that exists from start-up,
 * so a typo is a compile error rather than a new series nobody's dashboard queries.
 */
export const CLIENT_RESTART_REASONS = ['crash', 'registry_unavailable', 'broker_unavailable'] as const;
export type ClientRestartReason = (typeof CLIENT_RESTART_REASONS)[number];

export const SCHEMA_CACHE_RESULTS = ['hit', 'miss'] as const;
export type SchemaCacheResult = (typeof SCHEMA_CACHE_RESULTS)[number];

/**
 * What a rules reload did: `success` swapped in a new rule set, `failure` kept the running one (the
 * file did not read or validate), `unchanged` found the running file again.
 */
export const RULES_RELOAD_RESULTS = ['success', 'failure', 'unchanged'] as const;
export type RulesReloadResult = (typeof RULES_RELOAD_RESULTS)[number];

/**
 * Why a batch of a member that may have been out of its group generation was fenced:
 * `stale_generation` — fetched in a generation the member has left, dropped before anything was
 * written; `commit_refused` — exactly-once, the group coordinator refused the transaction's
 * offsets (KIP-447) and the transaction was aborted; `late_write` — at-least-once, the outputs
 * were acknowledged later than a session timeout after the member's last confirmed heartbeat, so
 * another member may have owned the partition meanwhile (nothing can be taken back: counted);
 * `write_refused` — at-least-once, a produce request stopped at the socket because the member's
 * last confirmed heartbeat had grown too old while it waited (the process was frozen).
 */
export const FENCED_BATCH_REASONS = [
  'stale_generation',
  'commit_refused',
  'late_write',
  'write_refused',
] as const;
export type FencedBatchReason = (typeof FENCED_BATCH_REASONS)[number];
