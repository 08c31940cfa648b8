import { ledgerStatus, EMPTY_LEDGER, PERIOD_MS, type LedgerState, type Rules } from '@sipflow/rules';
import { internedKey, KeyedStateStore, ledgerWords } from '@sipflow/state';
import type { LedgerMetrics } from '@sipflow/telemetry';
import { LEDGER_STATUSES } from '@sipflow/telemetry';
import type { Admin, Kafka } from 'kafkajs';
import type { Logger } from 'pino';
import type { StateTopics } from '@sipflow/pipeline';
import { ProcessorState } from './processor-state';

/**
 * A period is kept three periods after its last call: long enough for any late call, and for the
 * next period's first calls to close it; its record stays on the compacted topic after that.
 */
export const LEDGER_KEEP_MS = 3 * PERIOD_MS;

/**
 * The abandoned-call ledger's keyed state: one value per group and period (`<group>/<period>`),
 * on the partitions of the partials topic this member owns, changelogged and restored like the
 * per-number state, in the same store. No snapshots: the table's keys are numbers interned in
 * this process (interned-key.ts), and a restore reads a few records per group.
 */
export function ledgerState(opts: {
  kafka: Kafka;
  admin: Admin;
  topics: StateTopics;
  groupId: string;
  metrics: LedgerMetrics;
  logger: Logger;
}): ProcessorState<LedgerState> {
  return new ProcessorState<LedgerState>({
    kafka: opts.kafka,
    admin: opts.admin,
    topics: opts.topics,
    stateTopic: opts.topics.repartition,
    groupId: opts.groupId,
    metrics: opts.metrics.state,
    logger: opts.logger,
    store: new KeyedStateStore({
      keys: internedKey(),
      values: ledgerWords,
      empty: EMPTY_LEDGER,
      sweepEveryMs: 86_400_000,
    }),
    name: 'abandonment ledger',
    keepMs: () => LEDGER_KEEP_MS,
  });
}

/** Sets the running periods per status from what the ledger's state holds now. */
export function countRunningPeriods(
  state: ProcessorState<LedgerState>,
  rules: Rules,
  metrics: LedgerMetrics,
): void {
  const counts = Object.fromEntries(LEDGER_STATUSES.map((s) => [s, 0])) as Record<string, number>;
  state.store.forEach((_key, value) => {
    if (!value.closed) counts[ledgerStatus(value.counts, rules.abandonment, false)]!++;
  });
  for (const status of LEDGER_STATUSES) metrics.runningPeriods.labels(status).set(counts[status]!);
}
