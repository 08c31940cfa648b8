import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeSnapshot, encodeSnapshot, type Snapshot } from '@sipflow/state';
import type { Logger } from 'pino';

/**
 * The per-number state's local snapshots: one file per partition under `<dir>/<changelog topic>/`,
 * so a restart (or a partition coming back) replays only the changelog written after it. A
 * snapshot is an optimisation, never the truth: any doubt (unreadable, another partition, older
 * than the changelog keeps tombstones, an offset the changelog no longer has) and the partition
 * is restored from the whole changelog as without one.
 *
 * Written atomically: to a temporary file, fsynced, renamed over the old one, the directory
 * fsynced; a process killed half-way leaves the previous snapshot (or none), never a torn one.
 */
export class SnapshotFiles {
  private readonly dir: string;
  private readonly writing = new Map<number, Promise<void>>();

  constructor(
    root: string,
    changelog: string,
    /** older than this a snapshot is not used: the changelog may have dropped tombstones since */
    private readonly maxAgeMs: number,
    private readonly logger: Logger,
  ) {
    this.dir = join(root, changelog);
  }

  private file(partition: number): string {
    return join(this.dir, `${partition}.snapshot`);
  }

  /** The partition's snapshot, if there is a usable one; why not is logged. */
  async read(partition: number, now: number): Promise<Snapshot | undefined> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.file(partition));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        this.logger.warn({ err, partition }, 'state snapshot unreadable: restoring from the whole changelog');
      return undefined;
    }
    let decoded: ReturnType<typeof decodeSnapshot>;
    try {
      decoded = decodeSnapshot(bytes);
    } catch (err) {
      // a checksummed file whose contents the table refuses: a bug, but never a reason not to start
      decoded = { unusable: err instanceof Error ? err.message : String(err) };
    }
    const why =
      'unusable' in decoded
        ? decoded.unusable
        : decoded.partition !== partition
          ? `it is partition ${decoded.partition}'s`
          : now - decoded.writtenAt > this.maxAgeMs
            ? `older than ${Math.round(this.maxAgeMs / 3_600_000)} h (the changelog may have dropped tombstones since)`
            : null;
    if (why !== null || 'unusable' in decoded) {
      this.logger.warn(
        { partition, file: this.file(partition), why },
        'state snapshot not used: restoring from the whole changelog',
      );
      return undefined;
    }
    return decoded;
  }

  /**
   * Writes the partition's snapshot. The encoding is synchronous (the table is live and must not
   * change meanwhile); the file is written after. One write per partition at a time: a snapshot
   * asked for while one is being written is skipped (the next will do).
   */
  write(snapshot: Snapshot): Promise<void> | undefined {
    const { partition } = snapshot;
    if (this.writing.has(partition)) return undefined;
    const bytes = encodeSnapshot(snapshot);
    const done = this.writeFile(partition, bytes)
      .catch((err) =>
        this.logger.warn(
          { err, partition },
          'state snapshot not written (the changelog still holds the state)',
        ),
      )
      .finally(() => this.writing.delete(partition));
    this.writing.set(partition, done);
    return done;
  }

  /** Every write in progress. */
  async flush(): Promise<void> {
    await Promise.all(this.writing.values());
  }

  private async writeFile(partition: number, bytes: Buffer): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const target = this.file(partition);
    const temp = `${target}.${process.pid}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
