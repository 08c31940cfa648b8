// Memory per tracked number: a NumberStateStore partition loaded with N numbers of 3 calls each,
// the heap measured after a full GC before and after. Needs --expose-gc:
//   node --expose-gc --import tsx bench/state/memory.ts [--numbers 200000,1000000] [--json]
import { parseArgs } from 'node:util';
import { SipflowError } from '@sipflow/errors';
import type { NumberHistory } from '@sipflow/rules';
import { decodeHistory, encodeHistory } from '../../services/processor/src/state/history-codec';
import { NumberStateStore } from '../../services/processor/src/state/number-state-store';
import { syntheticHistory, syntheticNumber } from './restore-rate';

export type MemoryRow = {
  numbers: number;
  /** built by recordAttempt (a live processor) or decoded from changelog records (after a restore) */
  built: 'recordAttempt' | 'restored';
  heapDeltaMB: number;
  bytesPerNumber: number;
  mbPerMillion: number;
};

const gc = (globalThis as { gc?: () => void }).gc;

function heapAfterGc(): number {
  // twice: the first pass can leave weak and finalised objects to the next
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

function measure(numbers: number, built: MemoryRow['built']): MemoryRow {
  const before = heapAfterGc();
  const store = new NumberStateStore();
  const map = new Map<string, NumberHistory>();
  const start = Date.UTC(2026, 11, 1);
  for (let i = 0; i < numbers; i++) {
    const key = syntheticNumber(i);
    const history = syntheticHistory(3, start + (i % 1000) * 60_000);
    map.set(key, built === 'recordAttempt' ? history : decodeHistory(encodeHistory(history), 'bench'));
  }
  store.load(0, map);
  const delta = heapAfterGc() - before;
  if (store.size() !== numbers)
    throw new SipflowError('SIPFLOW_BENCH_FAILED', `store holds ${store.size()} numbers, not ${numbers}`);
  return {
    numbers,
    built,
    heapDeltaMB: delta / 2 ** 20,
    bytesPerNumber: delta / numbers,
    mbPerMillion: ((delta / numbers) * 1e6) / 2 ** 20,
  };
}

export function measureMemory(counts: number[]): MemoryRow[] {
  if (!gc) throw new SipflowError('SIPFLOW_BENCH_FAILED', 'run with node --expose-gc');
  const rows: MemoryRow[] = [];
  for (const n of counts)
    for (const built of ['recordAttempt', 'restored'] as const) rows.push(measure(n, built));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      numbers: { type: 'string', default: '200000,1000000' },
      json: { type: 'boolean', default: false },
    },
  });
  const rows = measureMemory(values.numbers.split(',').map(Number));
  if (values.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else
    for (const r of rows)
      process.stdout.write(
        `${r.numbers} numbers (${r.built}): ${r.heapDeltaMB.toFixed(1)} MB heap, ${Math.round(r.bytesPerNumber)} B per number, ${Math.round(r.mbPerMillion)} MB per million\n`,
      );
}
