import { join } from 'node:path';
import { Option, InvalidArgumentError, type Command } from 'commander';
import { connectionFromEnv, describeEnv, kafkaEnv, parseEnv } from '@sipflow/config';
import { allProcessorEnv } from '@sipflow/processor';
import {
  createProgressReporter,
  describeState,
  formatSummary,
  parseCampaigns,
  parseInstant,
  parseOffsetSpec,
  parsePartitionList,
  parseSipCodes,
  resumeReplay,
  runReplay,
  type ReplayHooks,
  type ReplaySummary,
  type StartInfo,
} from '@sipflow/replay';
import { repoRoot } from '@sipflow/stack';
import { positiveInt } from '../options';
import { runAction } from '../run-action';
import { handleStopSignals, lineReporter } from '../shutdown';
import { topicsEnv, topicsFromEnv } from '@sipflow/pipeline';

/** A chunk is one produce and one checkpoint: well within this, even on a slow broker. */
const STOP_TIMEOUT_MS = 60_000;

type ReplayFlags = {
  from?: string;
  to?: string;
  fromOffset?: string;
  toOffset?: string;
  partitions?: string;
  campaign?: string[];
  sipCode?: string;
  target?: 'live' | 'sandbox';
  prefix?: string;
  rules?: string;
  dryRun?: boolean;
  diff?: boolean;
  rate?: number;
  replayId?: string;
  resume?: string;
  checkpointDir?: string;
  allowDlq?: boolean;
  json?: boolean;
};

/** The processor's variables that a replay reads too. */
const replayOwnEnv = {
  RULES_FILE: allProcessorEnv.RULES_FILE,
  MAX_RECORD_BYTES: allProcessorEnv.MAX_RECORD_BYTES,
};
const replayEnv = { ...kafkaEnv, ...topicsEnv, ...replayOwnEnv };

/** Only these may accompany --resume: the rest is the replay's own, from its checkpoint. */
const RESUME_FLAGS = new Set(['resume', 'checkpointDir', 'rate', 'allowDlq', 'json']);

const say = (line: string) => process.stderr.write(`${line}\n`);

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description(
      'reprocess a window of call-attempt history: to the live topics (marked with a replay id), ' +
        'to sandbox topics, or as a dry run with a diff against what was recorded',
    )
    .option(
      '--from <time>',
      'window start, inclusive, record timestamp: ISO 8601 with a zone, a date (UTC), or epoch ms',
    )
    .option(
      '--to <time>',
      'window end, exclusive: records with a timestamp before this, as `sipflow audit --to` [default: the end of the topic when the replay starts]',
    )
    .option(
      '--from-offset <spec>',
      'window start as offsets: P:O[,P:O...] (only the partitions named) or O (all)',
    )
    .option('--to-offset <spec>', 'window end as offsets (exclusive): P:O[,P:O...] or O')
    .option('--partitions <list>', 'only these partitions, e.g. 0,2 or 0-3')
    .option('--campaign <ids...>', 'only these campaigns (repeatable, or comma-separated)')
    .option('--sip-code <codes>', 'only these SIP codes or classes, e.g. 486,603,5xx')
    .addOption(new Option('--target <where>', 'where outputs go').choices(['live', 'sandbox']))
    .option('--prefix <p>', 'sandbox topics are <p>.<topic> (created when missing)')
    .option('--rules <file>', 'a candidate rules file [default: RULES_FILE, else the shipped rules]')
    .option('--dry-run', 'write nothing; report what would be produced')
    .option('--diff', "with --dry-run: compare with the enriched topic's recorded outcomes")
    .option('--rate <n>', 'at most this many events per second', positiveInt)
    .option('--replay-id <id>', 'the id marking outputs and naming the checkpoint [default: generated]')
    .option('--resume <id>', 'continue a stopped replay from its checkpoint')
    .option('--checkpoint-dir <dir>', 'where checkpoints are kept [default: .sipflow/replays]')
    .option('--allow-dlq', 'exit 0 even when records went to the DLQ')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      `
The window is by Kafka record timestamp, [--from, --to): a record stamped exactly --to is not in
it, as in \`sipflow audit\`, so the audit of a replayed window takes the same two times. Its end
offsets are snapshotted when the replay starts,
so it ends by itself while new events keep arriving. Outputs carry the header replay-id and the
replayId field. Progress goes to stderr (a bar on a terminal, a line every 2 s otherwise); a
checkpoint is written after every produced chunk, and --resume continues from it (the last chunk
in flight when the process died may be produced twice; nothing is skipped). The exit status is 1
when records went to the DLQ (unless --allow-dlq) and 130 when stopped by SIGINT/SIGTERM.

Examples:
  sipflow replay --from 2026-03-01T00:00:00Z --to 2026-03-02T00:00:00Z --target live
  sipflow replay --from 2026-03-01 --target sandbox --prefix try1 --rules candidate.yaml --rate 500
  sipflow replay --from 2026-03-01 --dry-run --diff --rules candidate.yaml
  sipflow replay --from-offset 0:1200,2:800 --to-offset 0:5000 --target live --sip-code 486
  sipflow replay --resume replay-20260301t101500z-3fa9c2

Environment:
${describeEnv(replayEnv)}`,
    )
    .action(runAction(replay));
}

async function replay(flags: ReplayFlags): Promise<void> {
  // each variable parsed once: the connection, the topics, and the two of the processor's that apply
  const connection = connectionFromEnv();
  const topics = topicsFromEnv();
  const env = parseEnv(replayOwnEnv, process.env);
  const checkpointDir =
    flags.checkpointDir ?? join(process.env.SIPFLOW_HOME ?? join(repoRoot, '.sipflow'), 'replays');
  const stop = handleStopSignals({ timeoutMs: STOP_TIMEOUT_MS, report: lineReporter('replay') });
  const hooks: ReplayHooks = {
    signal: stop.signal,
    onStart: announce,
    onState: (state) => say(`sipflow replay: state: ${describeState(state)}`),
    progress: (label, total, done) => createProgressReporter({ label, total, done, stream: process.stderr }),
  };
  let summary: ReplaySummary;
  try {
    if (flags.resume !== undefined) {
      const extra = Object.keys(flags).filter(
        (k) => !RESUME_FLAGS.has(k) && flags[k as keyof ReplayFlags] !== undefined,
      );
      if (extra.length > 0)
        throw new InvalidArgumentError(
          `--resume continues the replay as it was started; drop ${extra.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`,
        );
      summary = await resumeReplay(
        { connection, replayId: flags.resume, checkpointDir, ...(flags.rate ? { rate: flags.rate } : {}) },
        hooks,
      );
    } else {
      summary = await runReplay(
        {
          connection,
          topics,
          maxRecordBytes: env.MAX_RECORD_BYTES,
          checkpointDir,
          dryRun: flags.dryRun === true,
          diff: flags.diff === true,
          ...defined({
            replayId: flags.replayId,
            from: flags.from === undefined ? undefined : parseInstant(flags.from, '--from'),
            to: flags.to === undefined ? undefined : parseInstant(flags.to, '--to'),
            fromOffsets:
              flags.fromOffset === undefined ? undefined : parseOffsetSpec(flags.fromOffset, '--from-offset'),
            toOffsets:
              flags.toOffset === undefined ? undefined : parseOffsetSpec(flags.toOffset, '--to-offset'),
            partitions: flags.partitions === undefined ? undefined : parsePartitionList(flags.partitions),
            campaigns: flags.campaign === undefined ? undefined : parseCampaigns(flags.campaign),
            sipCodes: flags.sipCode === undefined ? undefined : parseSipCodes(flags.sipCode),
            target: flags.target,
            prefix: flags.prefix,
            rulesFile: flags.rules ?? env.RULES_FILE,
            rate: flags.rate,
          }),
        },
        hooks,
      );
    }
  } finally {
    stop.finish();
  }

  process.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  if (summary.status === 'interrupted') {
    if (summary.mode !== 'dry-run')
      say(`sipflow replay: stopped; continue with: sipflow replay --resume ${summary.replayId}`);
    process.exitCode = 130;
  } else if (summary.mode !== 'dry-run' && summary.dlqTotal > 0 && !flags.allowDlq) {
    say(`sipflow replay: ${summary.dlqTotal} records went to the DLQ (--allow-dlq accepts that)`);
    process.exitCode = 1;
  }
}

function announce(info: StartInfo): void {
  const partitions = info.ranges.map((r) => r.partition).join(',') || 'none';
  say(
    `sipflow replay: ${info.resumed ? 'resuming' : 'starting'} ${info.replayId} (${info.mode}): ` +
      `${info.records} records of ${info.inputTopic}, partitions ${partitions}` +
      (info.mode === 'dry-run' ? '' : ` → ${info.outputTopics.join(', ')}`) +
      (info.checkpoint ? `; checkpoint ${info.checkpoint}` : ''),
  );
}

/** Drops the undefined entries, so optional request fields stay absent. */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}
