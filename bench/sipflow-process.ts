// `sipflow process` as the benches start it for one drain: the CLI entry and the environment
// every bench sets the same way (its own topics and group, the guarantee, no metrics port, quiet).
import { join } from 'node:path';
import { topicsToEnv, type Topics } from '@sipflow/pipeline';
import { repoRoot } from '@sipflow/stack';

/** The node arguments that run `sipflow process` from the sources. */
export const SIPFLOW_PROCESS = [join(repoRoot, 'services/cli/bin/sipflow.mjs'), 'process'];

/**
 * The processor's environment for one drain: `cluster` (brokers, registry), the drain's topics,
 * its group (also the transactional id, unique per drain), the guarantee, the worker count and
 * an optional rules file, the abandonment ledger off; a bench adds what it varies (KAFKA_CLIENT,
 * STATE_PARTITIONING, ABANDONMENT_LEDGER) on top.
 */
export function sipflowDrainEnv(opts: {
  cluster: NodeJS.ProcessEnv;
  topics: Topics;
  group: string;
  guarantee: string;
  workers: number | string;
  rulesFile?: string;
}): NodeJS.ProcessEnv {
  return {
    ...opts.cluster,
    ...topicsToEnv(opts.topics),
    CONSUMER_GROUP: opts.group,
    PROCESSING_GUARANTEE: opts.guarantee,
    TRANSACTIONAL_ID: opts.group,
    PROCESSOR_WORKERS: String(opts.workers),
    METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
    // the Kafka Streams peer keeps no abandoned-call ledger, and a drain is timed by the input's
    // offsets, which the ledger's stage comes after: the rows compare the work both do
    ABANDONMENT_LEDGER: 'off',
    ...(opts.rulesFile === undefined ? {} : { RULES_FILE: opts.rulesFile }),
  };
}
