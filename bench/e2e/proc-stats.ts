import { readdirSync, readFileSync } from 'node:fs';

/** Linux reports CPU times in clock ticks; 100 per second on every kernel config we meet. */
const CLOCK_TICKS_PER_SECOND = 100;

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name may contain spaces: fields are counted after its closing parenthesis
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

function statusField(pid: number, name: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  return line ? Number(line.split(/\s+/)[1]) * 1024 : 0;
}

export const rssBytes = (pid: number) => statusField(pid, 'VmRSS');
/** The process's high-water mark of resident memory over its whole life. */
export const peakRssBytes = (pid: number) => statusField(pid, 'VmHWM');

/** Samples a process's RSS on a timer; the broker's VmHWM would include everything before the run. */
export function sampleRss(pid: number, everyMs = 500): { stop: () => number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // the process is gone; keep what we saw
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

/** The direct children of a process (the worker processes of `sipflow process`), from /proc. */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // gone between the listing and the read
    }
  }
  return children;
}

const orZero = (f: () => number) => {
  try {
    return f();
  } catch {
    return 0;
  }
};

/** CPU seconds of a process and its live children: the primary and its workers. */
export const treeCpuSeconds = (pid: number): number =>
  cpuSeconds(pid) + childPids(pid).reduce((n, c) => n + orZero(() => cpuSeconds(c)), 0);

/** The sum of each process's own peak RSS: an upper bound of the tree's peak. */
export const treePeakRssBytes = (pid: number): number =>
  peakRssBytes(pid) + childPids(pid).reduce((n, c) => n + orZero(() => peakRssBytes(c)), 0);
