// `sipflow audit --json` on the soak's topics, as its own process: reading a million inputs and
// their outputs takes memory that must not land in the soak's (or the processor's) figures.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { SipflowError } from '@sipflow/errors';
import { repoRoot } from '@sipflow/stack';

export type SoakAudit = {
  exitCode: number | null;
  inputs: number;
  processed: number;
  deadLettered: number;
  lost: number;
  duplicated: number;
  wrongRouting: number;
  orphans: number;
  /** retries beyond a frequency cap, and those a cap held back: audits of stateful rules only */
  capViolations?: number;
  cappedRetries?: number;
  incomplete?: string;
  failures: string[];
  elapsedMs: number;
};

export async function auditRun(opts: {
  env: Record<string, string>;
  /** the rules the audited job ran with (`sipflow audit --rules`); the shipped defaults when unset */
  rulesFile?: string;
  exactlyOnce: boolean;
  timeoutSeconds: number;
}): Promise<SoakAudit> {
  const args = [
    // the auditor keeps one small entry per record read; a million inputs outgrow the default heap
    '--max-old-space-size=4096',
    join(repoRoot, 'services/cli/bin/sipflow.mjs'),
    'audit',
    '--json',
    '--timeout',
    String(opts.timeoutSeconds),
    ...(opts.exactlyOnce ? ['--exactly-once'] : []),
    ...(opts.rulesFile === undefined ? [] : ['--rules', opts.rulesFile]),
  ];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exitCode = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
  let report: SoakAudit;
  try {
    report = JSON.parse(stdout) as SoakAudit;
  } catch {
    throw new SipflowError(
      'SIPFLOW_BENCH_FAILED',
      `sipflow audit exited ${exitCode} without a JSON report:\n${stderr}${stdout.slice(-2000)}`,
      { exitCode },
    );
  }
  return {
    exitCode,
    inputs: report.inputs,
    processed: report.processed,
    deadLettered: report.deadLettered,
    lost: report.lost,
    duplicated: report.duplicated,
    wrongRouting: report.wrongRouting,
    orphans: report.orphans,
    ...(report.capViolations === undefined
      ? {}
      : { capViolations: report.capViolations, cappedRetries: report.cappedRetries ?? 0 }),
    ...(report.incomplete ? { incomplete: report.incomplete } : {}),
    failures: report.failures,
    elapsedMs: report.elapsedMs,
  };
}
