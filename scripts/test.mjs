// `npm test`: every vitest project, then one plain summary line ("N passed, N failed, N skipped")
// that log readers and CI can find without knowing vitest's format. Exit status is vitest's.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

const report = '.vitest-report.json';
// the whole suite (no --project filter) is where the coverage gate applies (vitest.config.ts)
const args = process.argv.slice(2);
const coverage = args.some((a) => a.startsWith('--project')) ? [] : ['--coverage'];
rmSync(report, { force: true });
const run = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
    ...coverage,
    ...args,
  ],
  { stdio: 'inherit' },
);
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = r.numPendingTests + r.numTodoTests;
  process.stdout.write(
    `\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped\n`,
  );
  const summary = '.coverage/coverage-summary.json';
  if (coverage.length > 0 && existsSync(summary)) {
    const { total } = JSON.parse(readFileSync(summary, 'utf8'));
    process.stdout.write(`coverage: lines ${total.lines.pct} %, branches ${total.branches.pct} %\n`);
  }
  if (r.numTotalTests === 0) {
    process.stdout.write('vitest: no test ran\n');
    process.exit(1);
  }
}
process.exit(run.status ?? 1);
