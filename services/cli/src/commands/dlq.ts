import { Command, InvalidArgumentError } from 'commander';
import { connectionFromEnv, describeEnv, kafkaEnv, parseEnv } from '@sipflow/config';
import {
  formatInspect,
  formatPlanned,
  formatRedrive,
  runInspect,
  runRedrive,
  type Selection,
} from '@sipflow/dlq';
import { SIPFLOW_ERROR_CODES } from '@sipflow/errors';
import { topicsEnv, topicsFromEnv } from '@sipflow/pipeline';
import { allProcessorEnv } from '@sipflow/processor';
import { parseInstant } from '@sipflow/replay';
import { loadRules, defaultRules } from '@sipflow/rules';
import { positiveInt } from '../options';
import { progressLine } from '../progress-line';
import { runAction } from '../run-action';
import { handleStopSignals, lineReporter } from '../shutdown';

/** A read or one paced chunk: well within this, even on a slow broker. */
const STOP_TIMEOUT_MS = 60_000;

/** The processor's variables that the dry run's verdict reads, so it judges as the processor will. */
const redriveOwnEnv = {
  RULES_FILE: allProcessorEnv.RULES_FILE,
  MAX_RECORD_BYTES: allProcessorEnv.MAX_RECORD_BYTES,
};

type FilterFlags = { code?: string[]; from?: string; to?: string };
type InspectFlags = FilterFlags & { samples: number; json?: boolean };
type RedriveFlags = FilterFlags & { limit?: number; rate?: number; dryRun?: boolean; json?: boolean };

const KNOWN_CODES: ReadonlySet<string> = new Set(SIPFLOW_ERROR_CODES);

const SELECTION_HELP = `
Selection: --code takes SIPFLOW_* codes (repeatable, or comma-separated). --from and --to are the
original record's time (the dead letter's sipflow-source-timestamp header): --from inclusive, --to
exclusive, so windows [a, b) and [b, c) never both take a record. ISO 8601 with a zone, a date
(midnight UTC), or epoch ms. Dead letters written by a replay (a replay-id header) are left out:
the live processor wrote its own for the same record.`;

export function registerDlqCommands(program: Command): void {
  const dlq = program
    .command('dlq')
    .description('dead letters: what is in the DLQ, and sending the fixed ones back to the input topic');

  filterOptions(
    dlq
      .command('inspect')
      .description('counts by code with their time range, and samples decoded as far as they go'),
  )
    .option('--samples <n>', 'samples shown per code (0 for none)', nonNegativeInt, 3)
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      `${SELECTION_HELP}

Reads the DLQ topic (DLQ_TOPIC) up to its end at start; writes nothing. Each sample shows where
the record came from, its reason, and its value decoded as far as it goes: the framing, the
schema id and whether the registry has it, then the Avro fields up to where they stop (a
truncated record shows the fields before the cut). Phone numbers are masked, as in the logs.
Exit status 0, 130 when stopped by SIGINT/SIGTERM.

Examples:
  sipflow dlq inspect
  sipflow dlq inspect --code SIPFLOW_OVERSIZE_RECORD --from 2026-12-01T10:00:00Z --samples 10

Environment:
${describeEnv({ ...kafkaEnv, ...topicsEnv })}`,
    )
    .action(runAction(inspect));

  filterOptions(
    dlq
      .command('redrive')
      .description('send selected dead letters back to the input topic after a fix, each once'),
  )
    .option('--limit <n>', 'at most this many sent in this run (the first in DLQ order)', positiveInt)
    .option('--rate <n>', 'at most this many records per second', positiveInt)
    .option(
      '--dry-run',
      'write nothing: print each record that would be sent, and what the processor would now do with it',
    )
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText(
      'after',
      `${SELECTION_HELP}

Each selected dead letter becomes one new record on the input topic (INPUT_TOPIC): its original
key and value bytes, its original headers, on its original partition, with the header
sipflow-redrive-of: <dlq topic>/<partition>/<offset>. Before writing, the input topic is read
from each original onwards for copies already made, so a dead letter is never sent twice and a
run that was stopped is simply run again. Dead letters that cannot be checked that way (their
partition lost records to retention after the original, or they name no source) are skipped and
counted. Run one redrive at a time. The processor must run with the fix before the copies reach
it: --dry-run judges each copy with RULES_FILE and MAX_RECORD_BYTES as set here.

Progress goes to stderr every 2 s. Exit status 0 when every selected dead letter is sent now or
was before; 1 when some were skipped, or, with --dry-run, when a copy would go to the DLQ again;
130 when stopped by SIGINT/SIGTERM (what was sent stays sent).

Examples:
  sipflow dlq redrive --code SIPFLOW_OVERSIZE_RECORD --dry-run
  sipflow dlq redrive --code SIPFLOW_OVERSIZE_RECORD --from 2026-12-01T10:00:00Z --to 2026-12-01T12:00:00Z --rate 200
  sipflow dlq redrive --code SIPFLOW_DECODE_UNKNOWN_SCHEMA --limit 10

Environment:
${describeEnv({ ...kafkaEnv, ...topicsEnv, ...redriveOwnEnv })}`,
    )
    .action(runAction(redrive));
}

function filterOptions(command: Command): Command {
  return command
    .option('--code <codes...>', 'only dead letters with these SIPFLOW_* codes')
    .option('--from <time>', 'original record time at or after this')
    .option('--to <time>', 'original record time before this (exclusive)');
}

async function inspect(flags: InspectFlags): Promise<void> {
  const connection = connectionFromEnv();
  const topics = topicsFromEnv();
  const selection = selectionOf(flags);
  const stop = handleStopSignals({ timeoutMs: STOP_TIMEOUT_MS, report: lineReporter('dlq inspect') });
  try {
    const report = await runInspect({
      connection,
      topics,
      selection,
      samplesPerCode: flags.samples,
      signal: stop.signal,
      progress: progressLine('dlq inspect'),
    });
    process.stdout.write(flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatInspect(report));
    if (report.status === 'stopped') process.exitCode = 130;
  } finally {
    stop.finish();
  }
}

async function redrive(flags: RedriveFlags): Promise<void> {
  const connection = connectionFromEnv();
  const topics = topicsFromEnv();
  const env = parseEnv(redriveOwnEnv, process.env);
  const selection = selectionOf(flags);
  const rules = env.RULES_FILE === undefined ? defaultRules() : loadRules(env.RULES_FILE);
  const stop = handleStopSignals({ timeoutMs: STOP_TIMEOUT_MS, report: lineReporter('dlq redrive') });
  try {
    const summary = await runRedrive({
      connection,
      topics,
      selection,
      dryRun: flags.dryRun === true,
      pipeline: { rules, maxRecordBytes: env.MAX_RECORD_BYTES },
      signal: stop.signal,
      ...(flags.limit === undefined ? {} : { limit: flags.limit }),
      ...(flags.rate === undefined ? {} : { rate: flags.rate }),
      progress: progressLine('dlq redrive'),
      ...(flags.json ? {} : { onPlanned: (p) => process.stdout.write(formatPlanned(p, topics.input)) }),
    });
    process.stdout.write(flags.json ? `${JSON.stringify(summary, null, 2)}\n` : formatRedrive(summary));
    const againToDlq = Object.entries(summary.verdicts)
      .filter(([verdict]) => verdict.startsWith('DLQ '))
      .reduce((n, [, c]) => n + c, 0);
    if (summary.status === 'stopped') process.exitCode = 130;
    else if (summary.skipped > 0 || againToDlq > 0) {
      if (againToDlq > 0)
        process.stderr.write(
          `sipflow dlq redrive: ${againToDlq} of them would go to the DLQ again: fix the cause first (the processor's settings or rules)\n`,
        );
      process.exitCode = 1;
    }
  } finally {
    stop.finish();
  }
}

function selectionOf(flags: FilterFlags): Selection {
  const selection: Selection = {};
  if (flags.code !== undefined) {
    const codes = flags.code
      .flatMap((c) => c.split(','))
      .map((c) => c.trim())
      .filter(Boolean);
    const unknown = codes.filter((c) => !KNOWN_CODES.has(c));
    if (unknown.length > 0)
      throw new InvalidArgumentError(
        `--code: ${unknown.join(', ')} is not a sipflow error code (docs/errors.md lists them)`,
      );
    selection.codes = new Set(codes);
  }
  if (flags.from !== undefined) selection.from = parseInstant(flags.from, '--from');
  if (flags.to !== undefined) selection.to = parseInstant(flags.to, '--to');
  if (selection.from !== undefined && selection.to !== undefined && selection.to <= selection.from)
    throw new InvalidArgumentError('--to must be later than --from (--to is exclusive)');
  return selection;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}
