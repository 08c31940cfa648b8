import { Counter, Gauge, type Registry } from 'prom-client';

/** The per-number state's metrics (services/processor/src/state/). */
export type StateMetrics = {
  /** Numbers held in memory, over the partitions this member owns. */
  numbers: Gauge;
  /** Bytes the state's tables hold outside the JavaScript heap. */
  stateBytes: Gauge;
  /** 1 while a restore from the changelog runs: /readyz is not ready then. */
  restoring: Gauge;
  /** How long the last restore took, and how much it read. */
  restoreSeconds: Gauge;
  restoredRecords: Counter;
  restoredNumbers: Counter;
  /** Changelog records written (tombstones of expired numbers included). */
  changelogRecords: Counter;
  /** Raw records re-keyed by number onto the repartition topic. */
  repartitioned: Counter;
};

export function createStateMetrics(registry: Registry): StateMetrics {
  const registers = [registry];
  return {
    numbers: new Gauge({
      name: 'sipflow_state_numbers',
      help: 'Phone numbers whose recent calls the per-number state holds, over the partitions this member owns.',
      registers,
    }),
    stateBytes: new Gauge({
      name: 'sipflow_state_bytes',
      help: 'Bytes the per-number state tables hold outside the JavaScript heap (in the process RSS), over the partitions this member owns.',
      registers,
    }),
    restoring: new Gauge({
      name: 'sipflow_state_restoring',
      help: '1 while the per-number state is restored from its changelog (not ready meanwhile).',
      registers,
    }),
    restoreSeconds: new Gauge({
      name: 'sipflow_state_restore_seconds',
      help: 'Duration of the last restore of the per-number state from its changelog.',
      registers,
    }),
    restoredRecords: new Counter({
      name: 'sipflow_state_restored_records_total',
      help: 'Changelog records read by restores of the per-number state.',
      registers,
    }),
    restoredNumbers: new Counter({
      name: 'sipflow_state_restored_numbers_total',
      help: 'Phone numbers restored from the changelog.',
      registers,
    }),
    changelogRecords: new Counter({
      name: 'sipflow_state_changelog_records_total',
      help: 'Records written to the per-number state changelog, tombstones included.',
      registers,
    }),
    repartitioned: new Counter({
      name: 'sipflow_repartitioned_records_total',
      help: 'Raw records forwarded to the repartition topic, keyed by phone number.',
      registers,
    }),
  };
}

/**
 * The same metrics for another keyed state (the abandonment ledger's), under its own prefix: `what`
 * names the state in the help texts, `keys` what its keys are.
 */
export function keyedStateMetrics(
  registry: Registry,
  prefix: string,
  what: string,
  keys: string,
): StateMetrics {
  const registers = [registry];
  return {
    numbers: new Gauge({
      name: `${prefix}_keys`,
      help: `${keys} the ${what} holds, over the partitions this member owns.`,
      registers,
    }),
    stateBytes: new Gauge({
      name: `${prefix}_bytes`,
      help: `Bytes the ${what} tables hold outside the JavaScript heap, over the partitions this member owns.`,
      registers,
    }),
    restoring: new Gauge({
      name: `${prefix}_restoring`,
      help: `1 while the ${what} is restored from its changelog (not ready meanwhile).`,
      registers,
    }),
    restoreSeconds: new Gauge({
      name: `${prefix}_restore_seconds`,
      help: `Duration of the last restore of the ${what} from its changelog.`,
      registers,
    }),
    restoredRecords: new Counter({
      name: `${prefix}_restored_records_total`,
      help: `Changelog records read by restores of the ${what}.`,
      registers,
    }),
    restoredNumbers: new Counter({
      name: `${prefix}_restored_keys_total`,
      help: `${keys} restored from the ${what} changelog.`,
      registers,
    }),
    changelogRecords: new Counter({
      name: `${prefix}_changelog_records_total`,
      help: `Records written to the ${what} changelog, tombstones included.`,
      registers,
    }),
    repartitioned: new Counter({
      name: `${prefix}_partials_total`,
      help: `Records written to the ${what}'s own input topic by the stage before it.`,
      registers,
    }),
  };
}
