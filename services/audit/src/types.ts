import type { SipflowErrorCode } from '@sipflow/errors';
import { RECORD_KINDS, type RecordKind } from '@sipflow/pipeline';
import type { LedgerAudit } from './ledger-audit';

/** The output topics an event can reach, besides the DLQ: the pipeline's outputs table. */
export const OUTPUT_KINDS = RECORD_KINDS;
export type OutputKind = RecordKind;

/** What the processor must have done with one input record, recomputed by the auditor. */
export type Expectation =
  | {
      kind: 'outputs';
      eventId: string;
      leadId: string;
      /** always 'enriched', plus the kinds the action selects (the outputs table) */
      outputs: readonly OutputKind[];
      disposition: string;
      action: string;
    }
  | { kind: 'dlq'; code: SipflowErrorCode; eventId?: string };

/** One record of the raw topic, with what the rules demand of it. */
export type AuditInput = {
  partition: number;
  offset: string;
  timestamp: number;
  expected: Expectation;
  /** a copy `sipflow dlq redrive` wrote: the dead letter it was made from (`sipflow-redrive-of`) */
  redriveOf?: string;
};

/** One record of an output topic, reduced to what the audit compares. */
export type AuditOutput = {
  kind: OutputKind;
  partition: number;
  offset: string;
  eventId: string | undefined;
  /** enriched records only: what the processor decided */
  disposition?: string;
  action?: string;
};

/** One record of the DLQ topic. */
export type AuditDeadLetter = {
  /** `<dlq topic>/<partition>/<offset>`, as a redriven copy's `sipflow-redrive-of` names it */
  id?: string;
  partition: number;
  offset: string;
  code: string | undefined;
  /** the topic of the record it stands for: the raw topic, or an internal one (ledger partials) */
  sourceTopic?: string | undefined;
  sourcePartition: number | undefined;
  sourceOffset: string | undefined;
};

export type LostEntry = {
  eventId: string | undefined;
  partition: number;
  offset: string;
  /** what is missing: output kinds, or 'dlq' for a bad record with no dead letter */
  missing: Array<OutputKind | 'dlq'>;
};

export type DuplicateEntry = {
  /** the eventId, `partition:offset` of the source for dead letters, the dead letter for redriven copies */
  id: string;
  /** 'input': one dead letter redriven more than once */
  topic: OutputKind | 'dlq' | 'input';
  count: number;
  expected: number;
};

/** The first place one lead's records on one topic break input order. */
export type OutOfOrderEntry = {
  leadId: string;
  topic: OutputKind;
  /** the event whose records were (last) written first */
  written: string;
  /** written after it, though it came earlier on the raw topic */
  thenEarlierInput: string;
};

/** A retry scheduled where a frequency cap forbids a call (see cap-audit.ts). */
export type CapViolationEntry = {
  eventId: string;
  phoneNumber: string;
  /** ISO-8601, as the processor scheduled it */
  retryAt: string;
  /** the cap broken: "US-FL 3 calls per 24 h (Fla. Stat. § 501.616(6)(b))" */
  cap: string;
  /** calls to the number within one cap period around retryAt, the retry included */
  calls: number;
  limit: number;
};

export type WrongRoutingEntry = { eventId: string; topic: OutputKind | 'dlq'; reason: string };

export type AuditReport = {
  /** raw records audited (inside the window, if one was given) */
  inputs: number;
  /** inputs with every output the rules demand */
  processed: number;
  /** inputs accounted for by a dead letter */
  deadLettered: number;
  /**
   * of those, the ones whose dead letter was redriven (`sipflow dlq redrive`): the copy is an input
   * of its own, accounted for like any other, and the original stays accounted for by its dead
   * letter whatever today's rules or limits would make of it
   */
  redriven: number;
  dlqByCode: Record<string, number>;
  /** records read per output topic (duplicates included) */
  outputs: Record<OutputKind | 'dlq', number>;
  /** inputs with something missing */
  lost: number;
  /** output records beyond the expected ones */
  duplicated: number;
  wrongRouting: number;
  /** leads (per output topic) whose records are not in input order (see lead-order.ts) */
  outOfOrder: number;
  /** output records whose input is not on the raw topic (reported without a window only) */
  orphans: number;
  /** retries (of the audited inputs) whose retryAt breaks a frequency cap, given the raw topic's calls */
  capViolations: number;
  /** retries whose time a frequency cap set (retryMovedBy names it): how much the cap check saw */
  cappedRetries: number;
  lostRecords: LostEntry[];
  duplicateRecords: DuplicateEntry[];
  wrongRoutingRecords: WrongRoutingEntry[];
  outOfOrderRecords: OutOfOrderEntry[];
  orphanEventIds: string[];
  capViolationRecords: CapViolationEntry[];
  /** set when the topics could not be read up to the snapshotted end offsets */
  incomplete?: string;
  /** the abandoned-call ledger's topic against the ledger recomputed from the raw topic */
  ledger?: LedgerAudit;
};
