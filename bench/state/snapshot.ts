// What a restart from a local snapshot costs against a restore from the whole changelog: one
// partition of N numbers of 3 calls, its snapshot encoded, written (temporary file, fsync, rename)
// and read back and decoded, each timed. Pure CPU and disk: no broker.
//   node --import tsx bench/state/snapshot.ts [--numbers 1000000] [--json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeValue, historyWords } from '@sipflow/state';
import pino from 'pino';
import { NumberStateStore } from '../../services/processor/src/state/number-state-store';
import { SnapshotFiles } from '../../services/processor/src/state/snapshot-files';
import { syntheticHistory, syntheticNumber } from './restore-rate';

export type SnapshotRow = {
  numbers: number;
  fileMB: number;
  /** encodeSnapshot: synchronous, between two batches of the partition */
  encodeSeconds: number;
  /** encode and write: the temporary file, fsync, rename, the directory's fsync */
  writeSeconds: number;
  /** read and decode: what a restart does before reading the changelog's tail */
  loadSeconds: number;
  loadNumbersPerSec: number;
};

export async function measureSnapshot(numbers: number): Promise<SnapshotRow> {
  const store = new NumberStateStore();
  const loader = store.newTable();
  const start = Date.UTC(2026, 11, 1);
  for (let i = 0; i < numbers; i++)
    loader.record(
      syntheticNumber(i),
      encodeValue(historyWords, syntheticHistory(3, start + (i % 1000) * 60_000)),
      'bench',
    );
  store.load(0, loader);
  const dir = mkdtempSync(join(tmpdir(), 'sipflow-bench-snapshot-'));
  try {
    const files = new SnapshotFiles(dir, 'changelog', Number.POSITIVE_INFINITY, pino({ level: 'silent' }));
    const snapshot = { partition: 0, nextOffset: numbers, writtenAt: Date.now(), table: store.current(0)! };
    const t0 = performance.now();
    const written = files.write(snapshot)!;
    const t1 = performance.now();
    await written;
    const t2 = performance.now();
    const read = await files.read(0, Date.now());
    const t3 = performance.now();
    if (read?.table.size !== numbers) throw new Error(`snapshot read back ${read?.table.size} numbers`);
    const { statSync } = await import('node:fs');
    return {
      numbers,
      fileMB: statSync(join(dir, 'changelog', '0.snapshot')).size / 2 ** 20,
      encodeSeconds: (t1 - t0) / 1000,
      writeSeconds: (t2 - t0) / 1000,
      loadSeconds: (t3 - t2) / 1000,
      loadNumbersPerSec: numbers / ((t3 - t2) / 1000),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { numbers: { type: 'string', default: '1000000' }, json: { type: 'boolean', default: false } },
  });
  const rows: SnapshotRow[] = [];
  for (const n of values.numbers.split(',').map(Number)) rows.push(await measureSnapshot(n));
  if (values.json) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else
    for (const r of rows)
      process.stdout.write(
        `${r.numbers} numbers: snapshot ${r.fileMB.toFixed(1)} MB, encoded in ${r.encodeSeconds.toFixed(3)} s, written in ${r.writeSeconds.toFixed(3)} s, loaded in ${r.loadSeconds.toFixed(3)} s (${Math.round(r.loadNumbersPerSec)} numbers/s)\n`,
      );
}
