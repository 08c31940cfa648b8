// The real `sipflow process` CLI as a child process: what an operator deploys, memory and all.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { SipflowError } from '@sipflow/errors';
import { freePort } from '@sipflow/stack';
import { SIPFLOW_PROCESS } from '../sipflow-process';

export type SoakProcessor = {
  pid: number;
  metricsUrl: string;
  /** null while it runs */
  exit: () => { code: number | null; signal: NodeJS.Signals | null } | null;
  /** the last lines it wrote, for a failure message */
  output: () => string;
  /** SIGTERM, then waits; SIGKILL if it overstays `timeoutMs` */
  stop: (timeoutMs: number) => Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
};

/** Starts the processor and returns once /readyz answers 200 (in its group, registry reachable). */
export async function startSoakProcessor(env: Record<string, string>, readyTimeoutMs: number) {
  // A fixed port, not METRICS_PORT=0: the soak must know where to scrape, and at LOG_LEVEL=warn
  // the processor does not log the address it bound.
  const port = await freePort();
  const child = spawn(process.execPath, SIPFLOW_PROCESS, {
    // one process: the RSS budget and the samples are one process's
    env: {
      ...process.env,
      PROCESSOR_WORKERS: '1',
      ...env,
      METRICS_HOST: '127.0.0.1',
      METRICS_PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // both pipes are drained: a full pipe would block the processor and read as a stall
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    lines.splice(0, Math.max(0, lines.length - 50));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve();
    }),
  );
  const base = `http://127.0.0.1:${port}`;
  const processor: SoakProcessor = {
    pid: child.pid!,
    metricsUrl: `${base}/metrics`,
    exit: () => exit,
    output: () => lines.join('\n'),
    stop: async (timeoutMs) => {
      const started = Date.now();
      if (!exit) child.kill('SIGTERM');
      await Promise.race([exited, sleep(timeoutMs)]);
      if (!exit) {
        child.kill('SIGKILL');
        await exited;
      }
      return { ...exit!, ms: Date.now() - started };
    },
  };

  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exit)
      throw new SipflowError(
        'SIPFLOW_STACK',
        `the processor exited during start-up (${JSON.stringify(exit)}):\n${processor.output()}`,
        { exit },
      );
    const ready = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2000) })
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ready) return processor;
    if (Date.now() > deadline) {
      await processor.stop(5000);
      throw new SipflowError(
        'SIPFLOW_STACK',
        `the processor was not ready within ${readyTimeoutMs} ms:\n${processor.output()}`,
        { timeoutMs: readyTimeoutMs },
      );
    }
    await sleep(250);
  }
}
