import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { EXIT_FOUND_PROBLEMS, isSipflowError } from '@sipflow/errors';
import { classify, type Rules } from '@sipflow/rules';
import type { Command } from 'commander';
import { formatEnrichedLine, parseAttemptLine } from '../ndjson/call-attempt-json';
import { rulesFromOption } from './load-rules-option';

// Output is written in chunks of about this many characters: one write per line costs a syscall each.
const FLUSH_AT = 64 * 1024;

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

/** Classifies NDJSON lines from `input` to `output`; returns the number of bad lines. */
export async function classifyStream(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  errors: NodeJS.WritableStream,
  rules: Rules,
): Promise<number> {
  let lineNumber = 0;
  let bad = 0;
  let pending = '';
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    try {
      const event = parseAttemptLine(line);
      pending += `${formatEnrichedLine(event, classify(event, rules))}\n`;
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
    .action(async (options: { rules?: string }) => {
      const rules = rulesFromOption(options.rules);
      if (rules === undefined) return;
      // A closed pipe downstream (`| head`) just ends the output.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
        throw error;
      });
      const bad = await classifyStream(process.stdin, process.stdout, process.stderr, rules);
      // the input was read to the end: bad lines are problems found, not a failure to run
      if (bad > 0) process.exitCode = EXIT_FOUND_PROBLEMS;
    });
}
