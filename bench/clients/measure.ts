import type { Clock } from './adapters/types';

/** What one measured operation cost the process that ran it. */
export type Measurement = {
  records: number;
  wallSeconds: number;
  cpuSeconds: number;
  cpuSecondsPer1M: number;
  recordsPerSecond: number;
  /** resident memory when the operation ended */
  rssMB: number;
  /** the process's peak resident memory (getrusage maxrss), module loading included */
  peakRssMB: number;
};

/** A clock over wall time and this process's user + system CPU (process.cpuUsage). */
export function processClock(): Clock & { result(records: number): Measurement } {
  let t0 = 0n;
  let t1 = 0n;
  let c0: NodeJS.CpuUsage | undefined;
  let c1: NodeJS.CpuUsage | undefined;
  return {
    startCpu() {
      c0 ??= process.cpuUsage();
    },
    start() {
      if (t0) return; // a consumer's first record may arrive on several partitions at once
      t0 = process.hrtime.bigint();
      c0 ??= process.cpuUsage();
    },
    stop() {
      t1 = process.hrtime.bigint();
      c1 = process.cpuUsage(c0);
    },
    result(records) {
      if (!t0 || !c0 || !c1) throw new Error('the operation never started or never stopped its clock');
      const wallSeconds = Number(t1 - t0) / 1e9;
      const cpuSeconds = (c1.user + c1.system) / 1e6;
      return {
        records,
        wallSeconds,
        cpuSeconds,
        cpuSecondsPer1M: (cpuSeconds / records) * 1e6,
        recordsPerSecond: records / wallSeconds,
        rssMB: process.memoryUsage().rss / 2 ** 20,
        peakRssMB: process.resourceUsage().maxRSS / 1024,
      };
    },
  };
}

/** Rejects after `ms` so a stalled client ends the run with its name instead of hanging it. */
export function withTimeout<T>(what: string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
