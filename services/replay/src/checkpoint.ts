import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SipflowError } from '@sipflow/errors';
import { OUTPUT_KINDS, OUTPUTS } from '@sipflow/pipeline';
import { z } from 'zod';
import type { ReplayCounts } from './counts';
import type { ReplayJob } from './job';

/**
 * A replay's checkpoint, `<dir>/<replay-id>.json`, rewritten (atomically: temp file + rename)
 * after every produced chunk. `positions` are the next offsets to read, so a resumed replay starts
 * right after the last acknowledged chunk: no gap; a chunk produced but not yet checkpointed when
 * the process died is produced again (duplicates of at most one chunk).
 */
export type Checkpoint = {
  replayId: string;
  status: 'running' | 'complete';
  createdAt: string;
  updatedAt: string;
  job: ReplayJob;
  positions: Map<number, bigint>;
  counts: ReplayCounts;
  /** time spent replaying, over every run of this replay */
  elapsedMs: number;
};

const offset = z.string().regex(/^\d+$/);
const counter = z.record(z.string(), z.number().int().nonnegative());
const topics = z.object({
  input: z.string(),
  ...Object.fromEntries(OUTPUT_KINDS.map((k) => [k, z.string()])),
  // written after checkpoints existed, and never by a replay: an older checkpoint has none
  abandonment: z.string().default(OUTPUTS.abandonment.defaultTopic),
}) as unknown as z.ZodType<ReplayJob['topics']>;

/**
 * Version 1 counted outcomes as "DISPOSITION ACTION" strings; version 2 nests them by disposition
 * and action. A version-1 checkpoint (written before the change) is read by splitting its keys once.
 */
const outcomesV1 = counter.transform((flat) => {
  const nested: Record<string, Record<string, number>> = {};
  for (const [key, n] of Object.entries(flat)) {
    const [disposition = key, action = ''] = key.split(' ');
    (nested[disposition] ??= {})[action] = n;
  }
  return nested;
});
const outcomesV2 = z.record(z.string(), counter);

const fileSchema = z.object({
  version: z.union([z.literal(1), z.literal(2)]),
  replayId: z.string(),
  status: z.enum(['running', 'complete']),
  createdAt: z.string(),
  updatedAt: z.string(),
  job: z.object({
    replayId: z.string(),
    topics,
    target: z.enum(['live', 'sandbox']),
    prefix: z.string().nullable(),
    rulesFile: z.string().nullable(),
    rulesVersion: z.string(),
    filter: z.object({
      campaigns: z.array(z.string()).optional(),
      sipCodes: z.object({ codes: z.array(z.number()), classes: z.array(z.number()) }).optional(),
      from: z.number().optional(),
      to: z.number().optional(),
    }),
    ranges: z.array(z.object({ partition: z.number().int().nonnegative(), start: offset, end: offset })),
    maxRecordBytes: z.number().int().positive(),
    rate: z.number().positive().nullable(),
  }),
  positions: z.record(z.string(), offset),
  counts: z.object({
    scanned: z.number(),
    replayed: z.number(),
    filtered: z.number(),
    outsideWindow: z.number(),
    outcomes: z.union([outcomesV2, outcomesV1]),
    produced: counter,
    dlq: counter,
  }),
  elapsedMs: z.number(),
});

export const checkpointPath = (dir: string, replayId: string) => join(dir, `${replayId}.json`);

export function writeCheckpoint(dir: string, cp: Checkpoint): void {
  mkdirSync(dir, { recursive: true });
  const file = checkpointPath(dir, cp.replayId);
  const json = {
    version: 2,
    replayId: cp.replayId,
    status: cp.status,
    createdAt: cp.createdAt,
    updatedAt: cp.updatedAt,
    job: {
      ...cp.job,
      ranges: cp.job.ranges.map((r) => ({
        partition: r.partition,
        start: String(r.start),
        end: String(r.end),
      })),
    },
    positions: Object.fromEntries([...cp.positions].map(([p, o]) => [String(p), String(o)])),
    counts: cp.counts,
    elapsedMs: cp.elapsedMs,
  };
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(json, null, 2)}\n`);
  renameSync(tmp, file);
}

export function readCheckpoint(dir: string, replayId: string): Checkpoint {
  const file = checkpointPath(dir, replayId);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new SipflowError(
      'SIPFLOW_INVALID_CONFIG',
      `no checkpoint for replay ${replayId} (looked for ${file})`,
      {
        replayId,
      },
    );
  }
  let parsed: z.infer<typeof fileSchema>;
  try {
    parsed = fileSchema.parse(JSON.parse(text));
  } catch (err) {
    throw new SipflowError(
      'SIPFLOW_INVALID_CONFIG',
      `checkpoint ${file} is not readable: ${err instanceof z.ZodError ? z.prettifyError(err).split('\n')[0] : (err as Error).message}`,
      { replayId },
    );
  }
  const { filter, ranges, ...job } = parsed.job;
  return {
    replayId: parsed.replayId,
    status: parsed.status,
    createdAt: parsed.createdAt,
    updatedAt: parsed.updatedAt,
    job: {
      ...job,
      filter: Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined)),
      ranges: ranges.map((r) => ({ partition: r.partition, start: BigInt(r.start), end: BigInt(r.end) })),
    },
    positions: new Map(Object.entries(parsed.positions).map(([p, o]) => [Number(p), BigInt(o)])),
    counts: parsed.counts,
    elapsedMs: parsed.elapsedMs,
  };
}
