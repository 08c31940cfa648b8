import { availableParallelism } from 'node:os';

/** `PROCESSOR_WORKERS`: a number of worker processes, or `auto`. */
export type WorkerSetting = number | 'auto';

/** The most worker processes `PROCESSOR_WORKERS` accepts. */
export const MAX_WORKERS = 64;

/**
 * How many worker processes `sipflow process` runs. `auto`: one per core the process may use
 * (`os.availableParallelism()`, which honours a CPU affinity mask), but never more than the input
 * topic has partitions: a consumer-group member beyond that is assigned nothing and only costs a
 * process, its connections and, under exactly-once, a transactional id. An explicit number is
 * taken as given (the caller warns when some will be idle).
 */
export function resolveWorkerCount(
  setting: WorkerSetting,
  available: { cpus: number; partitions: number },
): number {
  if (setting !== 'auto') return setting;
  return Math.max(1, Math.min(available.cpus, available.partitions, MAX_WORKERS));
}

export const machineCpus = (): number => availableParallelism();

/**
 * Each worker's transactional id. Exactly-once fences by transactional id: a restarted producer
 * with the same id aborts what its predecessor left open. A worker keeps its index across
 * restarts, so `<TRANSACTIONAL_ID>-<index>` is stable per worker and distinct between workers
 * (two live producers sharing an id would fence each other on every transaction). One process
 * keeps TRANSACTIONAL_ID itself, as before workers existed.
 */
export function workerTransactionalId(base: string, workerIndex: number | undefined): string {
  return workerIndex === undefined ? base : `${base}-${workerIndex}`;
}
