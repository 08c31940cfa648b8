import { ACTIONS, type Action } from '@sipflow/rules';
import {
  complianceAlert,
  enrichedRecord,
  leadRemoval,
  retryRequest,
  type RecordBuilder,
} from './output-records';

/**
 * Every output kind, once. Config (topic variables and defaults), provisioning (topics, retention,
 * schema subjects), the pipeline (which records an event produces), the audit (what it expects),
 * replay (sandbox topics) and the metrics all derive from this table. Adding an output kind means a
 * row here, its record builder and its schema file: nothing else.
 */
export const OUTPUTS = {
  enriched: {
    envVar: 'ENRICHED_TOPIC',
    defaultTopic: 'call-attempts.enriched',
    help: 'every event, enriched',
    schemaFile: 'call-attempt-enriched.avsc',
    selectedBy: ACTIONS,
    record: enrichedRecord,
    retentionDays: 7,
  },
  retry: {
    envVar: 'RETRY_TOPIC',
    defaultTopic: 'call-attempts.retry',
    help: 'action RETRY',
    schemaFile: 'retry-request.avsc',
    selectedBy: ['RETRY'],
    record: retryRequest,
    retentionDays: 7,
  },
  removal: {
    envVar: 'REMOVAL_TOPIC',
    defaultTopic: 'leads.removal',
    help: 'action REMOVE_LEAD',
    schemaFile: 'lead-removal.avsc',
    selectedBy: ['REMOVE_LEAD'],
    record: leadRemoval,
    retentionDays: 7,
  },
  compliance: {
    envVar: 'COMPLIANCE_TOPIC',
    defaultTopic: 'compliance.alerts',
    help: 'action COMPLIANCE_ALERT',
    schemaFile: 'compliance-alert.avsc',
    selectedBy: ['COMPLIANCE_ALERT'],
    record: complianceAlert,
    retentionDays: 7,
  },
  // The abandoned-call ledger: one record per abandonment group and 30-day period, written by the
  // processor's ledger stage (ledger-stage.ts), not by an action. Compacted: it keeps each
  // period's latest record however long ago it closed, which the 7-day raw topic cannot.
  abandonment: {
    envVar: 'ABANDONMENT_TOPIC',
    defaultTopic: 'compliance.abandonment',
    help: 'the abandoned-call ledger, per group and 30-day period (compacted)',
    schemaFile: 'abandonment-period.avsc',
    selectedBy: [],
    record: null,
    retentionDays: null,
  },
  // The DLQ keeps the input's own bytes (no schema of its own), four times longer than the rest:
  // it is read by people, not services.
  dlq: {
    envVar: 'DLQ_TOPIC',
    defaultTopic: 'call-attempts.dlq',
    help: 'records that could not be processed',
    schemaFile: null,
    selectedBy: [],
    record: null,
    retentionDays: 28,
  },
} as const satisfies Record<string, OutputSpec>;

/** The input topic: not an output, but configured and provisioned the same way. */
export const INPUT = {
  envVar: 'INPUT_TOPIC',
  defaultTopic: 'call-attempts.raw',
  help: 'raw call attempts (input)',
  schemaFile: 'call-attempt.avsc',
  retentionDays: 7,
} as const;

export type OutputSpec = {
  /** the environment variable that names the topic */
  envVar: string;
  defaultTopic: string;
  /** one line for `--help` */
  help: string;
  /** the value schema in schemas/; null for the DLQ, which carries the input's bytes */
  schemaFile: string | null;
  /** the actions whose events produce a record of this kind */
  selectedBy: readonly Action[];
  /** builds the record from (event, enrichment, replayId); null for what no action selects */
  record: RecordBuilder<unknown> | null;
  /** null: compacted (a key's latest record is kept), not deleted after a time */
  retentionDays: number | null;
};

export type OutputKind = keyof typeof OUTPUTS;
/** The kinds a classified event can produce (every kind but the DLQ and the ledger). */
export type RecordKind = {
  [K in OutputKind]: (typeof OUTPUTS)[K]['record'] extends null ? never : K;
}[OutputKind];

export const OUTPUT_KINDS = Object.keys(OUTPUTS) as OutputKind[];
export const RECORD_KINDS = OUTPUT_KINDS.filter((k) => OUTPUTS[k].record !== null) as RecordKind[];

/** The record kinds each action produces, in table order (enriched first). */
export const OUTPUTS_BY_ACTION: Readonly<Record<Action, readonly RecordKind[]>> = Object.freeze(
  Object.fromEntries(
    ACTIONS.map((action) => [
      action,
      Object.freeze(
        RECORD_KINDS.filter((k) => (OUTPUTS[k].selectedBy as readonly Action[]).includes(action)),
      ),
    ]),
  ) as Record<Action, readonly RecordKind[]>,
);
