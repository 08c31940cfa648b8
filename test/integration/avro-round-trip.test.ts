import { COMPATIBILITY, SchemaType } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testKafka, testRegistry, uniqueName } from '../support/cluster';

const probeSchema = {
  type: 'record',
  name: 'Probe',
  namespace: 'dev.sipflow.test',
  fields: [
    { name: 'eventId', type: 'string' },
    { name: 'sipCode', type: 'int' },
  ],
};

describe(`Avro through the schema registry and a real broker (${inject('clusterSource')})`, () => {
  const kafka = testKafka();
  const registry = testRegistry();
  const admin = kafka.admin();
  const topic = uniqueName('round-trip');

  beforeAll(async () => {
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });
  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  });

  it('registers, encodes, produces, consumes and decodes a record', async () => {
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(probeSchema) },
      { subject: `${topic}-value`, compatibility: COMPATIBILITY.BACKWARD },
    );
    const value = await registry.encode(id, { eventId: 'e-1', sipCode: 486 });
    expect(value[0]).toBe(0); // Confluent wire format: magic byte, then the 4-byte schema id
    expect(value.readInt32BE(1)).toBe(id);

    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'lead-1', value }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('round-trip-group') });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const received = await new Promise<{ key: string; decoded: unknown }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no record within 30 s')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve({ key: String(message.key), decoded: await registry.decode(message.value!) });
        },
      });
    });
    await consumer.disconnect();

    expect(received.key).toBe('lead-1');
    expect(received.decoded).toEqual({ eventId: 'e-1', sipCode: 486 });
  });

  it('enforces BACKWARD compatibility: an optional field is accepted, a new required one refused', async () => {
    const subject = `${uniqueName('compat')}-value`;
    await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(probeSchema) },
      { subject, compatibility: COMPATIBILITY.BACKWARD },
    );
    const withOptional = {
      ...probeSchema,
      fields: [...probeSchema.fields, { name: 'carrier', type: ['null', 'string'], default: null }],
    };
    const v2 = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(withOptional) },
      { subject },
    );
    expect(await registry.getLatestSchemaId(subject)).toBe(v2.id);

    const withRequired = {
      ...probeSchema,
      fields: [...probeSchema.fields, { name: 'leadId', type: 'string' }],
    };
    await expect(
      registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(withRequired) }, { subject }),
    ).rejects.toThrow(/incompatible/i);
  });
});
