export {
  createProcessorMetrics,
  type ProcessorMetrics,
  type ProcessorMetricsOptions,
} from './processor-metrics';
export {
  CLIENT_RESTART_REASONS,
  FENCED_BATCH_REASONS,
  RULES_RELOAD_RESULTS,
  SCHEMA_CACHE_RESULTS,
  type ClientRestartReason,
  type RulesReloadResult,
  type SchemaCacheResult,
} from './label-sets';
export { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './http-server';
export type { ReadinessCheck, ReadinessReport } from './readiness';
export { createLogger, type Logger, type LoggerOptions } from './logger';
export { maskPhoneNumber, maskPhoneNumbersIn, PHONE_FIELDS } from './phone-mask';
export {
  clusterMetricsSource,
  createWorkerPoolMetrics,
  shareMetricsWithPrimary,
  type MetricsSource,
} from './cluster-metrics';
export { createStateMetrics, keyedStateMetrics, type StateMetrics } from './state-metrics';
export { createLedgerMetrics, LEDGER_STATUSES, type LedgerMetrics } from './ledger-metrics';
