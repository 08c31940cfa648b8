import { replaceDocSection } from '../doc-section';
import type { DrainResult } from '../e2e/drain';
import type { MemoryRow } from './memory';
import type { SnapshotRow } from './snapshot';
import type { RestoreRate } from './restore-rate';

type Guarantee = 'at_least_once' | 'exactly_once';

/** The measured variants, in the order of the table; a run takes them all, rotated. */
export const VARIANTS = [
  { name: 'alo-caps-off', guarantee: 'at_least_once', caps: 'off', partitioning: 'repartition' },
  { name: 'alo-caps-on', guarantee: 'at_least_once', caps: 'on', partitioning: 'repartition' },
  { name: 'alo-caps-on-input', guarantee: 'at_least_once', caps: 'on', partitioning: 'input' },
  { name: 'eos-caps-off', guarantee: 'exactly_once', caps: 'off', partitioning: 'repartition' },
  { name: 'eos-caps-on', guarantee: 'exactly_once', caps: 'on', partitioning: 'repartition' },
  { name: 'eos-caps-on-input', guarantee: 'exactly_once', caps: 'on', partitioning: 'input' },
] as const satisfies ReadonlyArray<{
  name: string;
  guarantee: Guarantee;
  caps: 'on' | 'off';
  partitioning: 'repartition' | 'input';
}>;
export type VariantName = (typeof VARIANTS)[number]['name'];

export type StateResults = {
  command: string;
  date: string;
  machine: { cpu: string; cores: number; memoryGiB: number; os: string };
  versions: Record<string, string>;
  settings: {
    events: number;
    runs: number;
    partitions: number;
    /** PROCESSOR_WORKERS of the runs */
    workers: string;
    recordBytes: number;
    external: boolean;
  };
  /** every run of every variant, in run order */
  runs: Record<VariantName, DrainResult[]>;
  restores: Array<RestoreRate & { of: string }>;
  memory: MemoryRow[];
  /** restarts from a local snapshot (older result files have none) */
  snapshots?: SnapshotRow[];
};

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const LABEL: Record<VariantName, string> = {
  'alo-caps-off': 'at-least-once, caps off',
  'alo-caps-on': 'at-least-once, caps on (repartition)',
  'alo-caps-on-input': 'at-least-once, caps on, STATE_PARTITIONING=input',
  'eos-caps-off': 'exactly-once, caps off',
  'eos-caps-on': 'exactly-once, caps on (repartition)',
  'eos-caps-on-input': 'exactly-once, caps on, STATE_PARTITIONING=input',
};

/** on / off of one figure, run by run (the machine's load changes between runs), then the median. */
function ratio(r: StateResults, on: VariantName, off: VariantName, of: (d: DrainResult) => number): string {
  const pairs = r.runs[on].map((d, i) => of(d) / of(r.runs[off][i]!));
  return `${median(pairs).toFixed(2)} (runs: ${pairs.map((p) => p.toFixed(2)).join(', ')})`;
}

export function stateTable(r: StateResults): string {
  const rows = VARIANTS.map((v) => {
    const rs = r.runs[v.name];
    const rate = median(rs.map((d) => d.inputEventsPerSec));
    const mid = rs.find((d) => d.inputEventsPerSec === rate)!;
    const broker = mid.broker ? mid.broker.cpuSecondsPer1M.toFixed(1) : 'not measured';
    return (
      `| sipflow ${LABEL[v.name]} | ${fmt(rate)} | ${rs.map((d) => fmt(d.inputEventsPerSec)).join(', ')} | ` +
      `${mid.cpuSecondsPer1M.toFixed(1)} | ${fmt(Math.max(...rs.map((d) => d.peakRssMB)))} MB | ${broker} |`
    );
  });
  const ratios = (['alo', 'eos'] as const).flatMap((g) => [
    `| ${g === 'alo' ? 'at-least-once' : 'exactly-once'}, repartition | ${ratio(r, `${g}-caps-on`, `${g}-caps-off`, (d) => d.inputEventsPerSec)} | ${ratio(r, `${g}-caps-on`, `${g}-caps-off`, (d) => d.cpuSecondsPer1M)} |`,
    `| ${g === 'alo' ? 'at-least-once' : 'exactly-once'}, STATE_PARTITIONING=input | ${ratio(r, `${g}-caps-on-input`, `${g}-caps-off`, (d) => d.inputEventsPerSec)} | ${ratio(r, `${g}-caps-on-input`, `${g}-caps-off`, (d) => d.cpuSecondsPer1M)} |`,
  ]);
  return [
    `Measured ${r.date.slice(0, 10)} on ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.versions.node}, ` +
      `broker on the same machine and other work running on it; ${fmt(r.settings.events)} events of ~${r.settings.recordBytes} B, ` +
      `${r.settings.partitions} partitions, PROCESSOR_WORKERS=${r.settings.workers}, acks=all, ${r.settings.runs} runs, the variants interleaved (a different order each run). ` +
      `Command: \`${r.command}\`.`,
    '',
    '| what | events/s, median | each run | CPU s per 1M events | peak RSS | broker CPU s per 1M |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    'Caps on / caps off, the same guarantee, paired within each run:',
    '',
    '| guarantee, partitioning | events/s on / off | CPU per event on / off |',
    '|---|---|---|',
    ...ratios,
    '',
    '| restore (restoreFromChangelog, every partition, in one process) | numbers | records | seconds | numbers/s | records/s |',
    '|---|---|---|---|---|---|',
    ...r.restores.map(
      (x) =>
        `| ${x.of} | ${fmt(x.numbers)} | ${fmt(x.records)} | ${x.seconds.toFixed(2)} | ${fmt(x.numbersPerSec)} | ${fmt(x.recordsPerSec)} |`,
    ),
    '',
    '| memory: one partition holding N numbers of 3 calls (each row its own process) | heap after GC | off the heap | bytes per number | MB per million numbers | process RSS |',
    '|---|---|---|---|---|---|',
    ...r.memory.map(
      (m) =>
        `| ${fmt(m.numbers)}, ${MEMORY_BUILDS[m.built]} | ${m.heapDeltaMB.toFixed(1)} MB | ${m.offHeapDeltaMB.toFixed(1)} MB | ${fmt(m.bytesPerNumber)} | ${fmt(m.mbPerMillion)} | ${fmt(m.rssMB)} MB |`,
    ),
    ...(r.snapshots?.length
      ? [
          '',
          '| restart from a snapshot (bench/state/snapshot.ts, one partition) | file | encode (a pause between batches) | encode + write + fsync | read + load | numbers/s loaded |',
          '|---|---|---|---|---|---|',
          ...r.snapshots.map(
            (x) =>
              `| ${fmt(x.numbers)} numbers of 3 calls | ${x.fileMB.toFixed(1)} MB | ${x.encodeSeconds.toFixed(3)} s | ${x.writeSeconds.toFixed(3)} s | ${x.loadSeconds.toFixed(3)} s | ${fmt(x.loadNumbersPerSec)} |`,
          ),
        ]
      : []),
  ].join('\n');
}

const MEMORY_BUILDS: Record<MemoryRow['built'], string> = {
  recordAttempt: 'compact store, written batch by batch',
  restored: 'compact store, restored from version-2 values',
  'heap-map': 'before: a Map of frozen arrays on the heap',
};

const MARKERS = { start: '<!-- state:start -->', end: '<!-- state:end -->' };

export const updateStateDoc = (path: string, table: string): Promise<void> =>
  replaceDocSection(path, MARKERS, table);
