import { createRequire } from 'node:module';
import { CONFLUENT_PACKAGE } from '@sipflow/kafka';
import type { BenchRecord } from '../records';
import type { BenchClient } from './types';

type Cb = (err: Error | null | undefined) => void;
type Header = Record<string, string>;
type NativeMessage = { value: Buffer | null; headers?: Header[] };
type NativeProducer = {
  connect(opts: object, cb: Cb): void;
  disconnect(cb: Cb): void;
  produce(
    topic: string,
    partition: null,
    value: Buffer,
    key: string,
    ts: null,
    opaque: null,
    headers: Header[],
  ): void;
  flush(timeoutMs: number, cb: Cb): void;
  poll(): void;
  setPollInterval(ms: number): void;
  on(event: 'delivery-report', listener: (err: Error | null) => void): void;
  initTransactions(timeoutMs: number, cb: Cb): void;
  beginTransaction(cb: Cb): void;
  commitTransaction(timeoutMs: number, cb: Cb): void;
  abortTransaction(timeoutMs: number, cb: Cb): void;
};
type NativeConsumer = {
  connect(opts: object, cb: Cb): void;
  disconnect(cb: Cb): void;
  subscribe(topics: string[]): void;
  consume(max: number, cb: (err: Error | null, messages: NativeMessage[]) => void): void;
};
/** The node-rdkafka-style API of @confluentinc/kafka-javascript (its types/rdkafka.d.ts), typed here: the package is optional. */
type NativeModule = {
  Producer: new (conf: Record<string, unknown>) => NativeProducer;
  KafkaConsumer: new (conf: Record<string, unknown>, topicConf: Record<string, unknown>) => NativeConsumer;
};

const call = (f: (cb: Cb) => void) =>
  new Promise<void>((resolve, reject) => f((err) => (err ? reject(err) : resolve())));

const headersOf = (r: BenchRecord): Header[] => Object.entries(r.headers).map(([k, v]) => ({ [k]: v }));

/**
 * librdkafka through @confluentinc/kafka-javascript's native (non-KafkaJS) API. `murmur2_random`
 * is librdkafka's Java-compatible partitioner; its default, `consistent_random`, is CRC32
 * (deps/librdkafka/CONFIGURATION.md, `partitioner`, 1.10.1, checked 2026-12-01). A send is the
 * same unit as elsewhere: 1,000 records produced, then every delivery report awaited.
 */
export function confluentNative(brokers: string[]): BenchClient {
  const rd = createRequire(import.meta.url)(CONFLUENT_PACKAGE) as NativeModule;
  const common = { 'bootstrap.servers': brokers.join(','), 'client.id': 'clientbench' };

  const producer = async (extra: Record<string, unknown>) => {
    const p = new rd.Producer({
      ...common,
      acks: -1,
      dr_cb: true,
      partitioner: 'murmur2_random',
      ...extra,
    });
    let delivered = 0;
    let failed: Error | undefined;
    p.on('delivery-report', (err) => {
      if (err) failed ??= err;
      delivered++;
    });
    await call((cb) => p.connect({}, cb));
    // a backstop: reports also arrive while flush() waits
    p.setPollInterval(20);
    /** resolves once `target` records in all have a delivery report; rejects on the first failed one */
    const reported = async (target: number) => {
      await call((cb) => p.flush(30_000, cb));
      for (let i = 0; delivered < target && i < 3000; i++) {
        p.poll();
        await new Promise((r) => setTimeout(r, 1));
      }
      if (failed) throw failed;
      if (delivered < target) throw new Error(`only ${delivered} of ${target} delivery reports`);
    };
    const produceAll = (topic: string, send: BenchRecord[]) => {
      for (const r of send) p.produce(topic, null, r.value, r.key, null, null, headersOf(r));
    };
    return { p, reported, produceAll };
  };

  return {
    async produce(topic, sends, clock) {
      const { p, reported, produceAll } = await producer({});
      try {
        clock.start();
        let sent = 0;
        for (const send of sends) {
          produceAll(topic, send);
          await reported((sent += send.length));
        }
        clock.stop();
      } finally {
        await call((cb) => p.disconnect(cb));
      }
    },

    async consume(topic, expected, clock, groupId) {
      const c = new rd.KafkaConsumer(
        { ...common, 'group.id': groupId, 'enable.auto.commit': false, 'fetch.wait.max.ms': 100 },
        { 'auto.offset.reset': 'earliest' },
      );
      await call((cb) => c.connect({}, cb));
      let seen = 0;
      let bytes = 0;
      try {
        clock.startCpu();
        c.subscribe([topic]);
        // bounded: the caller's timeout ends the process if the topic never fills
        while (seen < expected) {
          const batch = await new Promise<NativeMessage[]>((resolve, reject) =>
            c.consume(1000, (err, messages) => (err ? reject(err) : resolve(messages))),
          );
          if (batch.length > 0) clock.start();
          for (const m of batch) bytes += (m.value?.length ?? 0) + (m.headers?.length ?? 0);
          seen += batch.length;
        }
        clock.stop();
      } finally {
        await call((cb) => c.disconnect(cb));
      }
      return bytes >= 0 ? seen : -1;
    },

    async transactional(topic, sends, clock, transactionalId) {
      const { p, reported, produceAll } = await producer({ 'transactional.id': transactionalId });
      try {
        await call((cb) => p.initTransactions(30_000, cb));
        clock.start();
        let sent = 0;
        for (const send of sends) {
          await call((cb) => p.beginTransaction(cb));
          try {
            produceAll(topic, send);
            // commitTransaction flushes first; the reports say every record was written
            await call((cb) => p.commitTransaction(30_000, cb));
            await reported((sent += send.length));
          } catch (err) {
            await call((cb) => p.abortTransaction(30_000, cb));
            throw err;
          }
        }
        clock.stop();
      } finally {
        await call((cb) => p.disconnect(cb));
      }
    },
  };
}
