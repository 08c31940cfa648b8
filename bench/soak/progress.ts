// One line per sample, so an operator watching a ten-minute run sees it move and sees trouble early.
import type { SoakSample } from './sample';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const orDash = (n: number | null, f: (n: number) => string) => (n === null ? '–' : f(n));

export function progressLine(s: SoakSample, prev: SoakSample | undefined, total: number): string {
  const seconds = prev ? s.t - prev.t : s.t;
  // the closing sample may follow the previous one by a fraction of a second: no rate from that
  const rate = seconds >= 1 ? ` (${fmt((s.offered - (prev?.offered ?? 0)) / seconds)}/s)` : '';
  return [
    `${fmt(s.t).padStart(5)} s ${s.phase.padEnd(8)}`,
    `offered ${fmt(s.offered)}/${fmt(total)}${rate}`,
    `consumed ${orDash(s.consumed, fmt)}, out ${orDash(s.produced, fmt)}, lag ${fmt(s.lag)}`,
    `rss ${s.rssMB.toFixed(0)} MB, heap ${orDash(s.heapUsedMB, (n) => n.toFixed(0))} MB`,
    `cpu ${s.cpuPercent.toFixed(0)} %`,
    `loop p99 ${orDash(s.loopP99Ms, (n) => n.toFixed(1))} ms, max ${orDash(s.loopMaxMs, (n) => n.toFixed(1))} ms`,
  ].join(' | ');
}
