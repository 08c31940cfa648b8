import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { EXIT_FOUND_PROBLEMS, isSipflowError } from '@sipflow/errors';
import { mapState, type NumberStateView } from '@sipflow/pipeline';
import { attemptOf, classify, historyKeepMs, recordAttempt, type Rules } from '@sipflow/rules';
import type { Command } from 'commander';
import { formatEnrichedLine, parseAttemptLine } from '../ndjson/call-attempt-json';
import { rulesFromOption } from './load-rules-option';

// Output is written in chunks of about this many characters: one write per line costs a syscall each.
const FLUSH_AT = 64 * 1024;

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

export type ClassifyOptions = {
  /**
   * Each number's calls so far, from the input itself in input order: what the processor's state
   * holds when the raw topic carries the same lines in the same order. Default true; false
   * classifies every line alone (caps and stopAfterUnanswered see only the call in hand).
   */
  history?: boolean;
};

/** Classifies NDJSON lines from `input` to `output`; returns the number of bad lines. */
export async function classifyStream(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  errors: NodeJS.WritableStream,
  rules: Rules,
  opts: ClassifyOptions = {},
): Promise<number> {
  // the same reads and writes processBatch makes, so the offline tool and the processor agree
  const state: NumberStateView | undefined =
    opts.history !== false && rules.stateWindowMs > 0 ? mapState() : undefined;
  let lineNumber = 0;
  let bad = 0;
  let pending = '';
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    try {
      const event = parseAttemptLine(line);
      const history = state?.get(event.phoneNumber);
      const enrichment = classify(event, rules, history);
      // a bad line placed no call the state counts, as a dead letter in the processor
      if (state)
        state.set(
          event.phoneNumber,
          recordAttempt(
            history!,
            attemptOf(event, enrichment.disposition),
            historyKeepMs(rules.stateWindowMs),
          ),
        );
      pending += `${formatEnrichedLine(event, enrichment)}\n`;
    } catch (error) {
      if (!isSipflowError(error)) throw error;
      bad++;
      // Keep stdout and stderr in input order for a reader watching both.
      if (pending !== '') await write(output, pending);
      pending = '';
      await write(errors, `line ${lineNumber}: ${error.code}: ${error.message}\n`);
    }
    if (pending.length >= FLUSH_AT) {
      await write(output, pending);
      pending = '';
    }
  }
  if (pending !== '') await write(output, pending);
  return bad;
}

export function registerClassifyCommand(program: Command): void {
  program
    .command('classify')
    .description(
      'Classify NDJSON CallAttempt objects from stdin into NDJSON enriched records on stdout; ' +
        `bad lines go to stderr with their line number (exit status ${EXIT_FOUND_PROBLEMS})`,
    )
    .option('--rules <file>', 'rules file (default: the shipped default rules)')
    .option(
      '--no-history',
      "classify each line alone: frequency caps and stopAfterUnanswered do not see the input's earlier calls",
    )
    .addHelpText(
      'after',
      `
Each number's history (what frequency caps such as Florida's 3 calls per 24 h and
stopAfterUnanswered count) is built from the input itself, line by line in input order: a line
sees the good lines before it, as the processor sees the records before it on the raw topic.`,
    )
    .action(async (options: { rules?: string; history: boolean }) => {
      const rules = rulesFromOption(options.rules);
      if (rules === undefined) return;
      // A closed pipe downstream (`| head`) just ends the output.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        throw error;
      });
      const bad = await classifyStream(process.stdin, process.stdout, process.stderr, rules, {
        history: options.history,
      });
      // the input was read to the end: bad lines are problems found, not a failure to run
      if (bad > 0) process.exitCode = EXIT_FOUND_PROBLEMS;
    });
}
