import { spawn } from 'node:child_process';
import { OPERATION_TIMEOUT_MS } from './adapters/types';
import type { Measurement } from './measure';
import type { WorkerArgs } from './worker';

const WORKER = new URL('./worker.ts', import.meta.url).pathname;

/** Runs one operation in a fresh Node process (this one's binary, tsx as the loader) and returns what it measured. */
export function runWorker(args: WorkerArgs): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // the worker has its own timeout; this one is for a process that hangs before it
    const timer = setTimeout(() => child.kill('SIGKILL'), OPERATION_TIMEOUT_MS + 30_000);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)) as Measurement);
      else
        reject(
          new Error(
            `${args.client} ${args.op} exited ${code ?? signal}:\n${(err + out).trim().slice(-1500)}`,
          ),
        );
    });
  });
}
