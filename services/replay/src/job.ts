import { prefixedTopics, type Topics } from '@sipflow/pipeline';
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

/** The topics of a sandbox: `P.<topic>` for each output; the history stays the deployed input. */
export function sandboxTopics(topics: Topics, prefix: string): Topics {
  return { ...prefixedTopics(topics, prefix), input: topics.input };
}
