import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointPath, readCheckpoint, writeCheckpoint, type Checkpoint } from '../src/checkpoint';
import { emptyCounts } from '../src/counts';
import { generateReplayId, validateReplayId } from '../src/replay-id';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'replay-checkpoint-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const checkpoint = (): Checkpoint => ({
  replayId: 'replay-test',
  status: 'running',
  createdAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:05.000Z',
  job: {
    replayId: 'replay-test',
    topics: {
      input: 'raw',
      enriched: 'p.e',
      retry: 'p.r',
      removal: 'p.l',
      compliance: 'p.c',
      abandonment: 'p.a',
      dlq: 'p.d',
    },
    target: 'sandbox',
    prefix: 'p',
    rulesFile: null,
    rulesVersion: '1.0.0',
    filter: { from: 1000, sipCodes: { codes: [486], classes: [5] } },
    ranges: [{ partition: 0, start: 5n, end: 9_007_199_254_740_993n }],
    maxRecordBytes: 1024,
    rate: null,
  },
  positions: new Map([[0, 7n]]),
  counts: { ...emptyCounts(), scanned: 2, replayed: 2, outcomes: { BUSY: { RETRY: 2 } } },
  elapsedMs: 1234,
});

describe('checkpoint', () => {
  it('round-trips through its JSON file, offsets beyond 2^53 included', () => {
    const dir = tempDir();
    writeCheckpoint(dir, checkpoint());
    expect(readCheckpoint(dir, 'replay-test')).toEqual(checkpoint());
    expect(JSON.parse(readFileSync(checkpointPath(dir, 'replay-test'), 'utf8')).positions).toEqual({
      '0': '7',
    });
  });

  it('reads a version-1 checkpoint, whose outcomes were "DISPOSITION ACTION" strings', () => {
    const dir = tempDir();
    writeCheckpoint(dir, checkpoint());
    const file = checkpointPath(dir, 'replay-test');
    const v1 = JSON.parse(readFileSync(file, 'utf8'));
    v1.version = 1;
    v1.counts.outcomes = { 'BUSY RETRY': 2, 'BUSY NONE': 1, 'CONNECTED NONE': 4 };
    writeFileSync(file, JSON.stringify(v1));
    expect(readCheckpoint(dir, 'replay-test').counts.outcomes).toEqual({
      BUSY: { RETRY: 2, NONE: 1 },
      CONNECTED: { NONE: 4 },
    });
  });

  it('says which replay has no checkpoint, and refuses a damaged one', () => {
    const dir = tempDir();
    expect(() => readCheckpoint(dir, 'nope')).toThrow(/no checkpoint for replay nope/);
    writeFileSync(checkpointPath(dir, 'bad'), '{"version": 3}');
    expect(() => readCheckpoint(dir, 'bad')).toThrow(/checkpoint .*bad.json is not readable/);
  });
});

describe('replay ids', () => {
  it('are generated from the start time and a random suffix', () => {
    expect(generateReplayId(new Date('2026-03-01T10:15:00.123Z'), 'a1b2c3')).toBe(
      'replay-20260301t101500z-a1b2c3',
    );
    expect(validateReplayId(generateReplayId())).toMatch(/^replay-\d{8}t\d{6}z-[0-9a-f]{6}$/);
  });
  it('refuse what cannot name a file', () => {
    expect(() => validateReplayId('../etc')).toThrow(/invalid --replay-id/);
    expect(() => validateReplayId('')).toThrow(/invalid --replay-id/);
  });
});
