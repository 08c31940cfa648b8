// Memory per tracked number: one partition of the per-number store holding N numbers of 3 calls
// each, measured after a full GC before and after, on the heap and outside it (the compact
// tables' typed arrays count as `arrayBuffers`), with the process RSS at the end. Needs --expose-gc:
//   node --expose-gc --import tsx bench/state/memory.ts [--numbers 200000,1000000] [--json]
// Each count runs in a process of its own (run.ts starts one per row), so one row's garbage and
// freed pages do not blur the next.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SipflowError } from '@sipflow/errors';
import { encodeValue, historyWords } from '@sipflow/state';
import { NumberStateStore } from '../../services/processor/src/state/number-state-store';
import { syntheticHistory, syntheticNumber } from './restore-rate';

export type MemoryRow = {
  numbers: number;
  /**
   * `recordAttempt`: written batch by batch as a live processor does (tables grown as they go);
   * `restored`: read from version-2 changelog values, as a restore does; `heap-map`: the store
   * before the compact tables, a Map of frozen arrays of `{ at, eventId, unanswered }` objects
   * (the baseline, in the same run)
   */
  built: 'recordAttempt' | 'restored' | 'heap-map';
  heapDeltaMB: number;
  offHeapDeltaMB: number;
  bytesPerNumber: number;
  mbPerMillion: number;
  rssMB: number;
};

const gc = (globalThis as { gc?: () => void }).gc;

function usageAfterGc(): { heap: number; offHeap: number } {
  // twice: the first pass can leave weak and finalised objects to the next
  gc!();
  gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, offHeap: m.arrayBuffers };
}

const START = Date.UTC(2026, 11, 1);
const BATCH = 500;

/** A flat 36-character id, as a decoder makes (randomUUID() returns a rope several times larger). */
const flatId = () => Buffer.from(randomUUID(), 'latin1').toString('latin1');

function build(numbers: number, built: MemoryRow['built']): { size: () => number; keep: unknown } {
  if (built === 'heap-map') {
    const map = new Map<string, readonly object[]>();
    for (let i = 0; i < numbers; i++) {
      const at = START + (i % 1000) * 60_000;
      const calls = [0, 1, 2].map((c) =>
        Object.freeze({ at: at + c * 3_600_000, eventId: flatId(), unanswered: c % 2 === 0 }),
      );
      map.set(syntheticNumber(i), Object.freeze(calls));
    }
    return { size: () => map.size, keep: map };
  }
  const store = new NumberStateStore();
  if (built === 'restored') {
    const loader = store.newTable();
    for (let i = 0; i < numbers; i++) {
      const value = encodeValue(historyWords, syntheticHistory(3, START + (i % 1000) * 60_000));
      loader.record(syntheticNumber(i), value, 'bench');
    }
    store.load(0, loader);
  } else {
    store.load(0, store.newTable());
    // calls arrive one at a time, a batch of them applied at once: each number's history is
    // rewritten three times, as the processor rewrites it (the old copies are the tables' garbage)
    for (let call = 0; call < 3; call++)
      for (let from = 0; from < numbers; from += BATCH) {
        const staged = store.stage(0);
        for (let i = from; i < Math.min(from + BATCH, numbers); i++) {
          const full = syntheticHistory(3, START + (i % 1000) * 60_000);
          staged.set(syntheticNumber(i), full.slice(0, call + 1));
        }
        store.apply(staged);
      }
  }
  return { size: () => store.size(), keep: store };
}

function measure(numbers: number, built: MemoryRow['built']): MemoryRow {
  const before = usageAfterGc();
  const held = build(numbers, built);
  const after = usageAfterGc();
  if (held.size() !== numbers)
    throw new SipflowError('SIPFLOW_BENCH_FAILED', `store holds ${held.size()} numbers, not ${numbers}`);
  const heap = after.heap - before.heap;
  const offHeap = after.offHeap - before.offHeap;
  return {
    numbers,
    built,
    heapDeltaMB: heap / 2 ** 20,
    offHeapDeltaMB: offHeap / 2 ** 20,
    bytesPerNumber: (heap + offHeap) / numbers,
    mbPerMillion: (((heap + offHeap) / numbers) * 1e6) / 2 ** 20,
    rssMB: process.memoryUsage().rss / 2 ** 20,
  };
}

const BUILDS: MemoryRow['built'][] = ['recordAttempt', 'restored', 'heap-map'];

/** Every count and way of building, each in a fresh process. */
export function measureMemory(counts: number[], builds = BUILDS): MemoryRow[] {
  const rows: MemoryRow[] = [];
  for (const n of counts)
    for (const built of builds) {
      const out = execFileSync(
        process.execPath,
        ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--one', `${n}:${built}`],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
      );
      rows.push(JSON.parse(out) as MemoryRow);
    }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      numbers: { type: 'string', default: '200000,1000000' },
      builds: { type: 'string', default: BUILDS.join(',') },
      one: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (values.one !== undefined) {
    if (!gc) throw new SipflowError('SIPFLOW_BENCH_FAILED', 'run with node --expose-gc');
    const [n, built] = values.one.split(':') as [string, MemoryRow['built']];
    process.stdout.write(`${JSON.stringify(measure(Number(n), built))}\n`);
  } else {
    const rows = measureMemory(
      values.numbers.split(',').map(Number),
      values.builds.split(',') as MemoryRow['built'][],
    );
    if (values.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
    else
      for (const r of rows)
        process.stdout.write(
          `${r.numbers} numbers (${r.built}): ${r.heapDeltaMB.toFixed(1)} MB heap + ${r.offHeapDeltaMB.toFixed(1)} MB off heap, ${Math.round(r.bytesPerNumber)} B per number, ${Math.round(r.mbPerMillion)} MB per million, RSS ${Math.round(r.rssMB)} MB\n`,
        );
  }
}
