import type { ConnectionSettings } from '@sipflow/config';
import type { Topics } from '@sipflow/pipeline';
import { invalidOption } from './errors';
import type { SipCodeMatch } from './event-filter';
import type { ProgressReporter } from './progress';
import type { ReplaySummary, StateSummary } from './summary';
import type { PartitionRange } from './window-plan';
import type { OffsetSpec } from './window-spec';

export type ReplayRequest = {
  connection: ConnectionSettings;
  /** the deployed topics: history is read from `input`; live outputs go to the others */
  topics: Topics;
  replayId?: string;
  /** record-timestamp window, epoch ms: [from, to) */
  from?: number;
  to?: number;
  fromOffsets?: OffsetSpec;
  toOffsets?: OffsetSpec;
  partitions?: number[];
  campaigns?: string[];
  sipCodes?: SipCodeMatch;
  target?: 'live' | 'sandbox';
  prefix?: string;
  dryRun?: boolean;
  diff?: boolean;
  /** a candidate rule set; the shipped defaults when unset */
  rulesFile?: string;
  maxRecordBytes: number;
  /** events per second */
  rate?: number;
  checkpointDir: string;
};

export type ResumeRequest = {
  connection: ConnectionSettings;
  replayId: string;
  checkpointDir: string;
  /** overrides the rate the replay started with */
  rate?: number;
};

export type StartInfo = {
  replayId: string;
  mode: ReplaySummary['mode'];
  inputTopic: string;
  outputTopics: string[];
  records: number;
  ranges: PartitionRange[];
  resumed: boolean;
  checkpoint: string | null;
};

export type ReplayHooks = {
  /** stops after the chunk in hand; the checkpoint lets `--resume` continue */
  signal?: AbortSignal;
  onStart?: (info: StartInfo) => void;
  /** the per-number state is rebuilt, before the window is read */
  onState?: (state: StateSummary) => void;
  progress?: (label: string, total: number, done: number) => ProgressReporter;
};

const TOPIC_PREFIX = /^[A-Za-z0-9._-]{1,100}$/;

/** Refuses a request that cannot mean anything, naming the option, before anything connects. */
export function validateReplayRequest(req: ReplayRequest): void {
  if (req.from === undefined && req.fromOffsets === undefined)
    throw invalidOption('window', 'give --from ISO or --from-offset SPEC');
  if (req.from !== undefined && req.fromOffsets !== undefined)
    throw invalidOption('window', '--from and --from-offset exclude each other');
  if (req.to !== undefined && req.toOffsets !== undefined)
    throw invalidOption('window', '--to and --to-offset exclude each other');
  if (req.from !== undefined && req.to !== undefined && req.to <= req.from)
    throw invalidOption('--to', 'must be after --from');
  if (req.target === 'sandbox' && req.prefix === undefined)
    throw invalidOption('--prefix', 'required with --target sandbox');
  if (req.prefix !== undefined && req.target !== 'sandbox')
    throw invalidOption('--prefix', 'only with --target sandbox');
  if (req.prefix !== undefined && !TOPIC_PREFIX.test(req.prefix))
    throw invalidOption('--prefix', `"${req.prefix}" (letters, digits, ".", "_", "-")`);
  if (!req.dryRun && req.target === undefined)
    throw invalidOption(
      '--target',
      'say where the outputs go: --target live or --target sandbox --prefix P (or --dry-run)',
    );
  if (req.diff && !req.dryRun) throw invalidOption('--diff', 'only with --dry-run');
  if (req.rate !== undefined && !(req.rate > 0)) throw invalidOption('--rate', 'must be positive');
}
