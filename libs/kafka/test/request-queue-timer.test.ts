import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PATCHED_KAFKAJS_VERSION, pendingCheckDelay } from '../src/request-queue-timer';

const child = fileURLToPath(new URL('./fixtures/request-queue-child.ts', import.meta.url));
const run = (patch: boolean) =>
  spawnSync(process.execPath, ['--import', 'tsx', child], {
    env: { ...process.env, PATCH: patch ? '1' : '0' },
    encoding: 'utf8',
    timeout: 20_000,
  });
const everySent = `sent ${Array.from({ length: 23 }, (_, i) => i + 1).join(',')}\n`;
const nodeMajor = Number(process.versions.node.split('.')[0]);

describe('pendingCheckDelay', () => {
  it('waits out a throttle, re-checks waiting requests in 10 ms, and has nothing to do otherwise', () => {
    expect(pendingCheckDelay({ throttledUntil: 1_500, pending: [] }, 1_000)).toBe(500);
    expect(pendingCheckDelay({ throttledUntil: 1_500, pending: [{}] }, 1_000)).toBe(500);
    expect(pendingCheckDelay({ throttledUntil: -1, pending: [{}] }, 1_000)).toBe(10);
    expect(pendingCheckDelay({ throttledUntil: 1_000, pending: [{}] }, 1_000)).toBe(10);
    // kafkajs 2.2.4 armed a timer of -1 - now here (a TimeoutNegativeWarning on Node 24)
    expect(pendingCheckDelay({ throttledUntil: -1, pending: [] }, Date.now())).toBeNull();
    expect(pendingCheckDelay({ throttledUntil: 999, pending: [] }, 1_000)).toBeNull();
  });
});

describe("kafkajs' request queue, patched", () => {
  it(`is the kafkajs it was written for (${PATCHED_KAFKAJS_VERSION}): a new pin needs the patch reviewed`, () => {
    const kafkajs = createRequire(import.meta.url)('kafkajs/package.json') as { version: string };
    expect(kafkajs.version).toBe(PATCHED_KAFKAJS_VERSION);
  });

  it(`sends every request and prints no TimeoutNegativeWarning (Node ${process.versions.node})`, () => {
    const r = run(true);
    expect(r.stderr).not.toContain('TimeoutNegativeWarning');
    expect(r.stdout).toBe(everySent);
    expect(r.status, r.stderr).toBe(0);
  }, 30_000);

  // the control: only Node 24+ warns for a negative delay (CI runs 24), so only there can the
  // check above fail
  it.runIf(nodeMajor >= 24)(
    'the same cycle on kafkajs as it ships does print the warning',
    () => {
      const r = run(false);
      expect(r.stderr).toContain('TimeoutNegativeWarning');
      expect(r.stdout).toBe(everySent);
    },
    30_000,
  );
});
