import { ERROR_CATALOGUE } from './catalogue';
import { SIPFLOW_ERROR_CODES } from './codes';
import { OTHER_EXIT_STATUSES, SYSEXITS, SYSEXITS_MEANING, type SysexitName } from './exit-status';
import { formatErrorReport } from './report';

const SYSEXIT_NAMES = Object.fromEntries(
  Object.entries(SYSEXITS).map(([name, status]) => [status, name as SysexitName]),
) as Record<number, SysexitName>;

/** "65 (EX_DATAERR)", or just the number for a status outside sysexits. */
function describeStatus(status: number): string {
  const name = SYSEXIT_NAMES[status];
  return name === undefined ? String(status) : `${status} (${name})`;
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/**
 * A Markdown table with its columns padded the way Prettier pads them, so that the generated file
 * passes `prettier --check` as written.
 */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows].map((row) => row.map(cell));
  const widths = header.map((_, i) => Math.max(3, ...all.map((row) => row[i]!.length)));
  const line = (row: readonly string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(all[0]!), line(widths.map((w) => '-'.repeat(w))), ...all.slice(1).map(line)].join('\n');
}

function exitStatusTable(): string {
  const rows: Array<[number, string, string]> = [
    ...Object.entries(OTHER_EXIT_STATUSES).map(([status, meaning]): [number, string, string] => [
      Number(status),
      '',
      meaning,
    ]),
    ...(Object.entries(SYSEXITS) as Array<[SysexitName, number]>).map(
      ([name, status]): [number, string, string] => [status, name, SYSEXITS_MEANING[name]],
    ),
  ].sort((a, b) => a[0] - b[0]);
  return table(
    ['Status', 'sysexits(3)', 'Meaning'],
    rows.map(([status, name, meaning]) => [String(status), name === '' ? '' : `\`${name}\``, meaning]),
  );
}

function codeTable(): string {
  return table(
    ['Code', 'Exit status', 'Retryable', 'Help'],
    SIPFLOW_ERROR_CODES.map((code) => {
      const entry = ERROR_CATALOGUE[code];
      return [`\`${code}\``, describeStatus(entry.exitStatus), entry.retryable ? 'yes' : 'no', entry.help];
    }),
  );
}

const EXAMPLE = formatErrorReport({
  code: 'SIPFLOW_INVALID_RULES',
  message:
    'candidate.yaml: rules[14] (id "cancelled").match.sip: expected a SIP code 100–699, a list of codes, or a class such as "5xx"',
});

/** docs/errors.md, rendered from the catalogue: `npm run gen:errors-doc` writes it, a test compares. */
export function renderErrorsDoc(): string {
  return `<!-- Generated from libs/errors/src by \`npm run gen:errors-doc\`: change the catalogue, not this file. -->

# Errors

Every failure that someone may want to act on carries a \`SIPFLOW_*\` code from one catalogue, the
package \`@sipflow/errors\`. Switch on the code, never on the message: messages name the field, file
or broker at hand and may be reworded, while codes are a contract, added to but never renamed or
removed.

Where a code shows up:

- **Dead letters.** A record the processor cannot turn into outputs goes to the DLQ topic with the
  Kafka header \`sipflow-error-code\` set to its code, and \`sipflow-error-message\` to the message.
- **Metrics.** \`sipflow_dlq_records_total{error_code="…"}\` counts dead letters by code.
- **Logs.** An error logged under the \`err\` key carries \`err.code\` and \`err.details\` next to
  \`err.type\`, \`err.message\` and \`err.stack\` (phone numbers masked, as everywhere in the logs).
- **The command line.** A command that fails prints the code and the message, then the code's help
  from the table below, on stderr, and exits with the code's exit status:

\`\`\`text
${EXAMPLE.trimEnd()}
\`\`\`

An error without a code is reported as \`SIPFLOW_INTERNAL_ERROR\`, exit status ${ERROR_CATALOGUE.SIPFLOW_INTERNAL_ERROR.exitStatus}.
\`SIPFLOW_DEBUG=1\` adds the stack trace. \`classify\` reports each bad input line as
\`line N: CODE: message\` and carries on with the next.

## Exit statuses

Failures exit with a status from the BSD sysexits(3) convention, so that a script can tell "fix the
input" from "the broker is down" from "a bug" without reading the message. Exit status 1 is
reserved for a command that ran to the end and found problems, \`audit\`'s failing report being the
model: "the audit failed" is not "the audit could not run".

${exitStatusTable()}

Errors that commander, the option parser, reports itself before a command runs (an unknown option,
a missing argument, a value an option's parser rejects) print commander's \`error: …\` line with the
usage, and exit 1.

## Codes

"Retryable" says whether the same operation, repeated unchanged, may succeed later, once the
service it needs answers again; the others need a change first (the input, the configuration, the
code).

${codeTable()}
`;
}
