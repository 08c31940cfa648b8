import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/shutdown-child.ts', import.meta.url));

/** Starts the fixture, sends SIGTERM once its handlers are in place, and reports how it ended. */
function terminate(
  env: Record<string, string>,
): Promise<{ code: number | null; ms: number; output: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let sentAt = 0;
    const kill = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    const collect = (c: Buffer) => {
      output += c.toString();
      if (sentAt === 0 && output.includes('handlers ready')) {
        sentAt = Date.now();
        proc.kill('SIGTERM');
      }
    };
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    proc.once('error', reject);
    // 'close', not 'exit': 'exit' can come before the last of stdout is read, and a test then saw
    // an exit status with empty output
    proc.once('close', (code) => {
      clearTimeout(kill);
      resolve({ code, ms: Date.now() - sentAt, output });
    });
  });
}

describe('handleStopSignals', () => {
  it('exits 0 as soon as the shutdown has closed everything', async () => {
    const run = await terminate({});
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('shutdown done');
    expect(run.output).not.toContain('handles still open');
    expect(run.ms).toBeLessThan(1500);
  }, 30_000);

  it('exits 0 anyway, naming what is open, when a handle outlives the shutdown', async () => {
    const run = await terminate({ LEAK: '1' });
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('handles still open after shutdown; exiting');
    expect(run.ms).toBeGreaterThanOrEqual(1900);
    expect(run.ms).toBeLessThan(10_000);
  }, 30_000);
});
