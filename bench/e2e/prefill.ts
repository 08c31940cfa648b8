import { readSchema, registerSchema, type CallAttempt } from '@sipflow/codec';
import { createRecordSource } from '@sipflow/simulator';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';

const CHUNK = 5000;
const IN_FLIGHT = 4;

/**
 * Fills the input topic with `count` realistic call attempts (the simulator's seeded mix) before
 * anything is timed. Returns the mean encoded record size.
 */
export async function prefill(opts: {
  kafka: Kafka;
  registry: SchemaRegistry;
  topic: string;
  count: number;
  seed: number;
  /** the record key; phoneNumber for a processor run with STATE_PARTITIONING=input */
  keyBy?: 'leadId' | 'phoneNumber';
}): Promise<number> {
  const schema = await registerSchema<CallAttempt>(
    opts.registry,
    `${opts.topic}-value`,
    readSchema('call-attempt.avsc'),
  );
  const source = createRecordSource({
    seed: opts.seed,
    poisonRatio: 0,
    schema,
    ...(opts.keyBy ? { keyBy: opts.keyBy } : {}),
  });
  const producer = opts.kafka.producer();
  await producer.connect();
  let bytes = 0;
  let sent = 0;
  const inFlight = new Set<Promise<unknown>>();
  try {
    while (sent < opts.count) {
      const n = Math.min(CHUNK, opts.count - sent);
      const messages = Array.from({ length: n }, () => {
        const r = source.next();
        bytes += r.value.length;
        return { key: r.key, value: r.value, ...(r.headers ? { headers: r.headers } : {}) };
      });
      const p = producer.send({ topic: opts.topic, messages, acks: -1 }).finally(() => inFlight.delete(p));
      inFlight.add(p);
      sent += n;
      if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
      if (sent % 200_000 === 0) process.stderr.write(`  prefill ${sent}/${opts.count}\n`);
    }
    await Promise.all(inFlight);
  } finally {
    await producer.disconnect();
  }
  return bytes / opts.count;
}
