import { SipflowError } from '@sipflow/errors';

/**
 * Test-only fault injection, off unless SIPFLOW_TEST_FAULT is set. A fault from outside (a kill,
 * SIGSTOP) lands where a batch happens to be; these land where the guarantees are decided:
 *
 * - `kill-after-outputs:N` SIGKILLs the process on its N-th batch, after the batch's outputs were
 *   acknowledged and before its offset was committed: the one moment at which at-least-once must
 *   repeat outputs and exactly-once must not (the transaction is never committed).
 * - `pause:MS:POINT@N[,POINT@N...]` freezes the whole process for MS milliseconds at POINT of its
 *   N-th batch, as SIGSTOP or a long GC pause does: no heartbeat, no request, no timer runs
 *   (Atomics.wait blocks the one JavaScript thread). Past the session timeout the member loses its
 *   partitions while it holds a batch. POINT is `before-outputs` (processed, nothing written yet;
 *   exactly-once: before the transaction begins), `after-outputs` (outputs acknowledged; exactly-
 *   once: inside the open transaction, before its offsets) or `before-commit` (exactly-once: the
 *   offsets are in the transaction, not yet committed; at-least-once: before the offset commit).
 */
export type FaultPoint = 'before-outputs' | 'after-outputs' | 'before-commit';
export type FaultHook = {
  /** a batch starts: its ordinal (1, 2, ...), for `at` */
  batchStarted: () => number;
  at: (point: FaultPoint, batch: number) => void;
};

const KILL_AFTER_OUTPUTS = /^kill-after-outputs:([1-9]\d{0,5})$/;
const POINT_AT = '(?:before-outputs|after-outputs|before-commit)@[1-9]\\d{0,5}';
const PAUSE = new RegExp(`^pause:([1-9]\\d{0,5}):(${POINT_AT}(?:,${POINT_AT})*)$`);
/** the spec's shape, for the configuration's check (config.ts) */
export const FAULT_SPEC = new RegExp(`${KILL_AFTER_OUTPUTS.source}|${PAUSE.source}`);

/** Blocks the thread for `ms`: the process does nothing meanwhile, as if stopped. */
function freeze(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function faultHookFromSpec(spec: string | undefined): FaultHook | undefined {
  if (spec === undefined) return undefined;
  let seen = 0;
  const batchStarted = () => ++seen;
  const kill = KILL_AFTER_OUTPUTS.exec(spec);
  if (kill) {
    const batch = Number(kill[1]);
    return {
      batchStarted,
      at: (point, n) => {
        if (point === 'after-outputs' && n === batch) process.kill(process.pid, 'SIGKILL');
      },
    };
  }
  const pause = PAUSE.exec(spec);
  if (pause) {
    const ms = Number(pause[1]);
    const where = new Set(pause[2]!.split(','));
    return {
      batchStarted,
      at: (point, n) => {
        if (!where.has(`${point}@${n}`)) return;
        process.stderr.write(`sipflow test fault: pausing ${ms} ms at ${point} of batch ${n}\n`);
        freeze(ms);
        process.stderr.write(`sipflow test fault: resumed after ${point} of batch ${n}\n`);
      },
    };
  }
  throw new SipflowError(
    'SIPFLOW_INVALID_CONFIG',
    `invalid SIPFLOW_TEST_FAULT=${JSON.stringify(spec)}: expected kill-after-outputs:N or pause:MS:POINT@N[,POINT@N...] (N ≥ 1)`,
    { variable: 'SIPFLOW_TEST_FAULT' },
  );
}
