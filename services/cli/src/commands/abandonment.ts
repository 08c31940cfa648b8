import { InvalidArgumentError, type Command } from 'commander';
import { formatLedger, formatPeriods, readLedgerTopic, recomputeLedger } from '@sipflow/audit';
import { connectionFromEnv, describeEnv, kafkaEnv } from '@sipflow/config';
import { topicsEnv, topicsFromEnv } from '@sipflow/pipeline';
import { parseTime, positiveInt } from '../options';
import { progressLine } from '../progress-line';
import { runAction } from '../run-action';
import { rulesFromOption } from './load-rules-option';

type ShowFlags = {
  group: string[];
  status: string[];
  running?: boolean;
  json?: boolean;
  timeout: number;
};

const STATUSES = ['OK', 'WARNING', 'OVER'];

type RecomputeFlags = {
  rules?: string;
  group: string[];
  asOf?: number;
  json?: boolean;
  maxRecordBytes: number;
  timeout: number;
};

export function registerAbandonmentCommands(program: Command): void {
  const abandonment = program
    .command('abandonment')
    .description(
      "the abandoned-call ledger: each campaign's (or group's) 30-day periods against the 3 % limit",
    );
  abandonment
    .command('show')
    .description('each group and period as the processor keeps it: the compacted ledger topic')
    .option('--group <name>', 'only this group (repeatable)', collect, [])
    .option(
      '--status <status>',
      'only periods with this status: OK, WARNING or OVER (repeatable)',
      status,
      [],
    )
    .option('--running', 'only periods still running')
    .option('--json', 'print the periods as JSON')
    .option('--timeout <seconds>', 'give up reading after this long (exit status 1)', positiveInt, 60)
    .addHelpText(
      'after',
      `
Reads ABANDONMENT_TOPIC (compacted, keyed <group>/<period>) with read_committed, up to its end offsets
at start: each period's latest record, written by \`sipflow process\` (ABANDONMENT_LEDGER=on). The
status is the one the record was written with: OVER above 3 % abandoned, WARNING at or above the
rules' warnAt, each once the period holds minAnswered person-answered calls (docs/abandonment.md).
Exit status 1 when the read did not finish.

Environment:
${describeEnv({ ...kafkaEnv, ABANDONMENT_TOPIC: topicsEnv.ABANDONMENT_TOPIC })}`,
    )
    .action(
      runAction(async (flags: ShowFlags) => {
        const { periods, read, undecodable } = await readLedgerTopic({
          connection: connectionFromEnv(),
          topic: topicsFromEnv().abandonment,
          timeoutMs: flags.timeout * 1000,
        });
        const shown = periods.filter(
          (p) =>
            (flags.group.length === 0 || flags.group.includes(p.group)) &&
            (flags.status.length === 0 || flags.status.includes(p.status)) &&
            (flags.running !== true || !p.closed),
        );
        process.stdout.write(
          flags.json
            ? `${JSON.stringify({ periods: shown, undecodable, read }, null, 2)}\n`
            : formatPeriods(shown),
        );
        if (undecodable > 0 && !flags.json)
          process.stderr.write(`sipflow abandonment show: ${undecodable} record(s) did not decode\n`);
        if (!read.complete) {
          process.stderr.write(
            `sipflow abandonment show: ${read.unfinished.join(', ')} not read to the end\n`,
          );
          process.exitCode = 1;
        }
      }),
    );
  abandonment
    .command('recompute')
    .description('rebuild the ledger from the raw topic and print each group and period')
    .option(
      '--rules <file>',
      'the rules whose abandonment section applies (default: the shipped default rules)',
    )
    .option(
      '--group <name>',
      'only this group (repeatable); a campaign in no group is its own group',
      collect,
      [],
    )
    .option(
      '--as-of <time>',
      'periods ended before this are closed (ISO-8601 or epoch ms; default: now)',
      parseTime,
    )
    .option('--json', 'print the periods as JSON')
    .option('--max-record-bytes <n>', "the processor's MAX_RECORD_BYTES", positiveInt, 1024 * 1024)
    .option('--timeout <seconds>', 'give up reading after this long (exit status 1)', positiveInt, 300)
    .addHelpText(
      'after',
      `
Reads the raw topic with read_committed, up to its end offsets at start, and counts every valid call
in its group's 30-day period (docs/abandonment.md): abandoned over answered by a person. The raw
topic keeps 7 days by default, so a period that began before its oldest record is marked
INCOMPLETE. Exit status 1 when the read did not finish.

Environment:
${describeEnv({ ...kafkaEnv, INPUT_TOPIC: topicsEnv.INPUT_TOPIC })}`,
    )
    .action(
      runAction(async (flags: RecomputeFlags) => {
        const rules = rulesFromOption(flags.rules);
        if (rules === undefined) return;
        const progress = progressLine('abandonment recompute');
        const result = await recomputeLedger({
          connection: connectionFromEnv(),
          input: topicsFromEnv().input,
          rules,
          groups: flags.group,
          ...(flags.asOf === undefined ? {} : { asOfMs: flags.asOf }),
          maxRecordBytes: flags.maxRecordBytes,
          timeoutMs: flags.timeout * 1000,
          progress,
        });
        process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatLedger(result));
        if (!result.read.complete) process.exitCode = 1;
      }),
    );
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function status(value: string, previous: string[]): string[] {
  const upper = value.toUpperCase();
  if (!STATUSES.includes(upper)) throw new InvalidArgumentError(`expected one of ${STATUSES.join(', ')}`);
  return [...previous, upper];
}
