import { invalidOption } from './errors';

/**
 * Offsets per partition, as `--from-offset`/`--to-offset` take them: `0:100,1:250` (partition 0
 * at offset 100, partition 1 at 250) or a bare `100` for every partition.
 */
export type OffsetSpec =
  { kind: 'all'; offset: bigint } | { kind: 'partitions'; offsets: Map<number, bigint> };

const PARTITION_OFFSET = /^(\d+):(\d+)$/;

export function parseOffsetSpec(text: string, option: string): OffsetSpec {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { kind: 'all', offset: BigInt(trimmed) };
  const offsets = new Map<number, bigint>();
  for (const entry of trimmed.split(',')) {
    const match = PARTITION_OFFSET.exec(entry.trim());
    if (!match) throw invalidOption(option, `"${entry}" (expected PARTITION:OFFSET[,...] or one OFFSET)`);
    const partition = Number(match[1]);
    if (offsets.has(partition)) throw invalidOption(option, `partition ${partition} given twice`);
    offsets.set(partition, BigInt(match[2]!));
  }
  return { kind: 'partitions', offsets };
}

/** `0,2` or `0-3,7`: sorted, without duplicates. */
export function parsePartitionList(text: string, option = '--partitions'): number[] {
  const partitions = new Set<number>();
  for (const entry of text.split(',').map((s) => s.trim())) {
    const range = /^(\d+)(?:-(\d+))?$/.exec(entry);
    if (!range) throw invalidOption(option, `"${entry}" (expected N, N-M, comma-separated)`);
    const first = Number(range[1]);
    const last = range[2] === undefined ? first : Number(range[2]);
    if (last < first) throw invalidOption(option, `"${entry}" is an empty range`);
    for (let p = first; p <= last; p++) partitions.add(p);
  }
  return [...partitions].sort((a, b) => a - b);
}

/**
 * An instant as epoch milliseconds: ISO 8601 with a zone (`2026-03-01T10:00:00Z`,
 * `2026-03-01T10:00+01:00`), a date alone (midnight UTC), or epoch milliseconds. A date-time
 * without a zone is refused: it would mean a different instant on every machine.
 */
export function parseInstant(text: string, option: string): number {
  const trimmed = text.trim();
  if (/^\d{10,}$/.test(trimmed)) return Number(trimmed);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const zoned = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  if (!dateOnly && !zoned)
    throw invalidOption(option, `"${text}" (expected ISO 8601 with a zone, e.g. 2026-03-01T10:00:00Z)`);
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) throw invalidOption(option, `"${text}" is not a valid date`);
  return ms;
}
