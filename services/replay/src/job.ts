import type { Topics } from '@sipflow/config';
import type { EventFilter } from './event-filter';
import type { PartitionRange } from './window-plan';

/** Everything a replay needs to run, fixed at start: a resumed replay runs the same job. */
export type ReplayJob = {
  replayId: string;
  /** the input (history) and the outputs; sandbox outputs carry the prefix */
  topics: Topics;
  target: 'live' | 'sandbox';
  prefix: string | null;
  /** absolute path, or null for the shipped defaults */
  rulesFile: string | null;
  rulesVersion: string;
  filter: EventFilter;
  /** the window as offset ranges, end offsets snapshotted at start */
  ranges: PartitionRange[];
  maxRecordBytes: number;
  /** --rate, events/s (null: as fast as it goes); a resumed replay keeps it unless given again */
  rate: number | null;
};

/** The output topics of a sandbox: `P.<topic>` for each, the input included (left empty). */
export function sandboxTopics(topics: Topics, prefix: string): Topics {
  const p = (t: string) => `${prefix}.${t}`;
  return {
    input: p(topics.input),
    enriched: p(topics.enriched),
    retry: p(topics.retry),
    removal: p(topics.removal),
    compliance: p(topics.compliance),
    dlq: p(topics.dlq),
  };
}
