import type { Command } from 'commander';
import { auditFailures, formatReport, runAudit } from '@sipflow/audit';
import { connectionFromEnv, describeEnv, kafkaEnv } from '@sipflow/config';
import { parseTime, positiveInt } from '../options';
import { runAction } from '../run-action';
import { rulesFromOption } from './load-rules-option';
import { topicsEnv, topicsFromEnv } from '@sipflow/pipeline';

type AuditFlags = {
  from?: number;
  to?: number;
  rules?: string;
  json?: boolean;
  exactlyOnce?: boolean;
  maxRecordBytes: number;
  timeout: number;
};

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description(
      'account for every raw record: its outputs or its dead letter; report loss, duplicates, wrong routing, lead order and retries beyond a frequency cap',
    )
    .option(
      '--from <time>',
      'window start, inclusive: only raw records with a record time at or after this (ISO-8601 or epoch ms)',
      parseTime,
    )
    .option(
      '--to <time>',
      'window end, exclusive: only raw records with a record time before this (ISO-8601 or epoch ms)',
      parseTime,
    )
    .option('--rules <file>', 'the rules the processor ran with (default: the shipped default rules)')
    .option('--exactly-once', 'the run used PROCESSING_GUARANTEE=exactly_once: duplicates fail the audit')
    .option('--json', 'print the report as JSON')
    .option('--max-record-bytes <n>', "the processor's MAX_RECORD_BYTES", positiveInt, 1024 * 1024)
    .option(
      '--timeout <seconds>',
      'give up reading after this long (the report says incomplete)',
      positiveInt,
      120,
    )
    .addHelpText(
      'after',
      `
Reads the raw topic and every output topic with read_committed, up to their end offsets at start.
--from/--to are the window of \`sipflow replay --from/--to\`: [from, to), so the same two times
audit the raw records that replay read, and consecutive windows share no record. (--to was
inclusive before: for the old window, give a --to 1 ms later.)
Every retry is checked against the frequency caps (maxAttempts { count, per }): the calls to its
number on the raw topic (the whole topic) that started by its event, and the event itself, may not
exceed a cap around its retryAt. Routing is judged against the calls before each record.
Exit status 1 on a lost input, a wrongly routed record, a lead whose records are out of input order,
a retry beyond a frequency cap, an incomplete read, and with --exactly-once on a duplicate; 0
otherwise.

Environment:
${describeEnv({ ...kafkaEnv, ...topicsEnv })}`,
    )
    .action(
      runAction(async (flags: AuditFlags) => {
        const rules = rulesFromOption(flags.rules);
        if (rules === undefined) return;
        const report = await runAudit({
          connection: connectionFromEnv(),
          topics: topicsFromEnv(),
          rules,
          ...(flags.from === undefined ? {} : { from: flags.from }),
          ...(flags.to === undefined ? {} : { to: flags.to }),
          maxRecordBytes: flags.maxRecordBytes,
          timeoutMs: flags.timeout * 1000,
        });
        const failures = auditFailures(report, { exactlyOnce: flags.exactlyOnce ?? false });
        process.stdout.write(
          flags.json
            ? `${JSON.stringify({ ...report, failures }, null, 2)}\n`
            : formatReport(report, failures),
        );
        if (failures.length > 0) process.exitCode = 1;
      }),
    );
}
