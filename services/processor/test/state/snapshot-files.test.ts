import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { CompactTable } from '@sipflow/state';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { SnapshotFiles } from '../../src/state/snapshot-files';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-12-07T12:00:00Z');
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function files(logLines: object[] = []) {
  const dir = mkdtempSync(join(tmpdir(), 'sipflow-snapshots-'));
  dirs.push(dir);
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(JSON.parse(line)) });
  return { dir, files: new SnapshotFiles(dir, 'g-raw-number-state-changelog', 12 * HOUR, logger) };
}

const table = () => {
  const t = new CompactTable();
  t.set(13_055_550_100, Uint32Array.of(1, 2, 3));
  return t;
};

describe('SnapshotFiles', () => {
  it('writes a partition atomically (no temporary file left) and reads it back', async () => {
    const { dir, files: f } = files();
    await f.write({ partition: 2, nextOffset: 40, writtenAt: NOW, table: table() });
    expect(readdirSync(join(dir, 'g-raw-number-state-changelog'))).toEqual(['2.snapshot']);
    const read = await f.read(2, NOW + HOUR);
    expect(read).toMatchObject({ partition: 2, nextOffset: 40, writtenAt: NOW });
    expect(read!.table.size).toBe(1);
    expect(await f.read(3, NOW)).toBeUndefined();
  });

  it('does not use a snapshot older than its maximum age, torn, or of another partition, and says why', async () => {
    const lines: { msg?: string; why?: string }[] = [];
    const { dir, files: f } = files(lines);
    await f.write({ partition: 0, nextOffset: 1, writtenAt: NOW, table: table() });
    expect(await f.read(0, NOW + 13 * HOUR)).toBeUndefined();
    expect(lines.at(-1)?.why).toMatch(/older than 12 h/);
    const path = join(dir, 'g-raw-number-state-changelog');
    writeFileSync(join(path, '1.snapshot'), 'torn');
    expect(await f.read(1, NOW)).toBeUndefined();
    expect(lines.at(-1)?.why).toBe('not a snapshot');
    // a file copied under another partition's name
    writeFileSync(join(path, '5.snapshot'), readFileSync(join(path, '0.snapshot')));
    expect(await f.read(5, NOW)).toBeUndefined();
    expect(lines.at(-1)?.why).toMatch(/partition 0's/);
    // checksummed, but holding what no table takes (a key of 0): not used either, and no crash
    const bad = readFileSync(join(path, '0.snapshot'));
    // the first key, right after the 36-byte header
    bad.writeDoubleLE(0, 36);
    bad.writeUInt32LE(crc32(bad.subarray(0, bad.length - 4)), bad.length - 4);
    writeFileSync(join(path, '0.snapshot'), bad);
    expect(await f.read(0, NOW)).toBeUndefined();
    expect(lines.at(-1)?.why).toMatch(/positive integer/);
    expect(lines.every((l) => l.msg === 'state snapshot not used: restoring from the whole changelog')).toBe(
      true,
    );
  });
});
