import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { SipflowError } from '@sipflow/errors';

/** Runs a command to completion, its output appended to `logFile`; rejects with the log's tail. */
export async function runLogged(
  cmd: string,
  args: string[],
  logFile: string,
  env = process.env,
): Promise<void> {
  const fd = openSync(logFile, 'a');
  try {
    const code = await new Promise<number | null>((resolveCode, reject) => {
      const child = spawn(cmd, args, { stdio: ['ignore', fd, fd], env });
      // e.g. ENOENT: the program is not installed, or not where SIPFLOW_JAVA/SIPFLOW_MVN say
      child.once('error', (err) =>
        reject(
          new SipflowError(
            'SIPFLOW_STACK',
            `could not run ${cmd}: ${err.message}`,
            { command: cmd },
            { cause: err },
          ),
        ),
      );
      child.once('exit', resolveCode);
    });
    if (code !== 0) {
      throw new SipflowError(
        'SIPFLOW_STACK',
        `${cmd} ${args.join(' ')} exited with ${code}; last lines of ${logFile}:\n${tail(logFile)}`,
        { command: cmd, exitCode: code, log: logFile },
      );
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Starts a long-running server detached from this process (it outlives the CLI), output to
 * `logFile`, pid recorded in `pidFile`. `marker` is a JVM system property we put on its command
 * line so that later a pid is only trusted (and signalled) if it still belongs to our server.
 */
export function spawnDetached(opts: {
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  logFile: string;
  pidFile: string;
}): number {
  const fd = openSync(opts.logFile, 'a');
  const child = spawn(opts.cmd, opts.args, {
    detached: true,
    stdio: ['ignore', fd, fd],
    env: opts.env ?? process.env,
    cwd: opts.cwd,
  });
  closeSync(fd);
  if (child.pid === undefined)
    throw new SipflowError('SIPFLOW_STACK', `could not start ${opts.cmd}; see ${opts.logFile}`, {
      command: opts.cmd,
      log: opts.logFile,
    });
  child.unref();
  writeFileSync(opts.pidFile, `${child.pid}\n`);
  return child.pid;
}

/** The pid in `pidFile` if that process is alive and its command line carries `marker`. */
export function livePid(pidFile: string, marker: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    // whole arguments only: the marker of node 1 must not match node 10's
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    return args.includes(marker) ? pid : undefined;
  } catch {
    return undefined; // no such process
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stopProcess(pid: number, graceMs: number): Promise<'terminated' | 'killed'> {
  signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'terminated';
    await sleep(100);
  }
  signal(pid, 'SIGKILL');
  for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
  return 'killed';
}

export function removeFile(path: string): void {
  rmSync(path, { force: true });
}

export function tail(file: string, lines = 25): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // a zombie still answers signal 0; /proc tells it apart
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}
