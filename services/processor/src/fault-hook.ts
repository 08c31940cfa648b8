import { SipflowError } from '@sipflow/errors';

/**
 * Test-only fault injection, off unless SIPFLOW_TEST_FAULT is set. `kill-after-outputs:N` SIGKILLs
 * the process on its N-th batch, after the batch's outputs were acknowledged and before its offset
 * was committed: the one moment at which at-least-once must repeat outputs and exactly-once must
 * not (the transaction is never committed). A kill from outside lands there only by chance.
 */
export type FaultHook = { afterOutputsAcknowledged: () => void };

const KILL_AFTER_OUTPUTS = /^kill-after-outputs:(\d{1,6})$/;

export function faultHookFromSpec(spec: string | undefined): FaultHook | undefined {
  if (spec === undefined) return undefined;
  const match = KILL_AFTER_OUTPUTS.exec(spec);
  const batches = match ? Number(match[1]) : 0;
  if (batches < 1)
    throw new SipflowError(
      'SIPFLOW_INVALID_CONFIG',
      `invalid SIPFLOW_TEST_FAULT=${JSON.stringify(spec)}: expected kill-after-outputs:N (N ≥ 1)`,
      { variable: 'SIPFLOW_TEST_FAULT' },
    );
  let seen = 0;
  return {
    afterOutputsAcknowledged: () => {
      if (++seen === batches) process.kill(process.pid, 'SIGKILL');
    },
  };
}
