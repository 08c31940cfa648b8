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
