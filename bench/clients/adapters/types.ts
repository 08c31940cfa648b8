import type { BenchRecord } from '../records';

/**
 * What one measured operation is bracketed by: the adapter starts it after connecting, stops it
 * before closing. A consumer calls `startCpu()` before it subscribes and `start()` at its first
 * record: a client decodes its first fetch before handing over a record, so CPU counted from the
 * first record would miss it, while wall time counted from subscribing would be mostly the group
 * join (seconds, nearly idle).
 */
export type Clock = { startCpu(): void; start(): void; stop(): void };

/** One Kafka client under test, as the bench drives it; every method connects, works, and closes. */
export type BenchClient = {
  /** sends of RECORDS_PER_SEND, each awaited (acks=all) before the next, as the processor sends */
  produce(topic: string, sends: BenchRecord[][], clock: Clock): Promise<void>;
  /** reads `expected` records from offset 0 with a fresh consumer group */
  consume(topic: string, expected: number, clock: Clock, groupId: string): Promise<number>;
  /** one transaction per send: begin, send, commit; undefined where the client has none */
  transactional?(topic: string, sends: BenchRecord[][], clock: Clock, transactionalId: string): Promise<void>;
};

/** How long any one operation may take before the bench gives up on it. */
export const OPERATION_TIMEOUT_MS = 8 * 60_000;
