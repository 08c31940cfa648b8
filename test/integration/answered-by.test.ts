import { readSchema, registerSchema, type CallAttempt, type RegisteredType } from '@sipflow/codec';
import { createRegistry } from '@sipflow/kafka';
import type { Topics } from '@sipflow/pipeline';
import type { RunningProcessor } from '@sipflow/processor';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt } from '../support/attempts';
import { uniqueName } from '../support/cluster';
import {
  createTestTopics,
  deleteTopics,
  rawTopicWriter,
  readTopic,
  startInProcess,
  testConnection,
} from '../support/processor-harness';

type AvroSchema = { fields: Array<{ name: string; type: unknown }> } & Record<string, unknown>;
const NEW_DISPOSITIONS = ['ANSWERING_MACHINE', 'FAX'];

/** A schema as it was before answeredBy: the field and the two dispositions taken out. */
function beforeAnsweredBy(file: string): AvroSchema {
  const schema = readSchema(file) as AvroSchema;
  const strip = (type: unknown): unknown => {
    if (Array.isArray(type)) return type.map(strip);
    if (type !== null && typeof type === 'object' && (type as { name?: string }).name === 'Disposition') {
      const e = type as { symbols: string[] };
      return { ...e, symbols: e.symbols.filter((s) => !NEW_DISPOSITIONS.includes(s)) };
    }
    return type;
  };
  return {
    ...schema,
    fields: schema.fields.filter((f) => f.name !== 'answeredBy').map((f) => ({ ...f, type: strip(f.type) })),
  };
}

/** Each answer as a dialer with answering-machine detection reports it; `legacy` by an older writer. */
const cases = {
  machine: attempt({ sipCode: 200, answeredBy: 'MACHINE' }),
  fax: attempt({ sipCode: 200, answeredBy: 'FAX' }),
  human: attempt({ sipCode: 200, answeredBy: 'HUMAN' }),
  unknown: attempt({ sipCode: 200, answeredBy: 'UNKNOWN' }),
  legacy: attempt({ sipCode: 200 }),
};

describe('who answered (answeredBy) through the real broker and registry', () => {
  const registry = createRegistry(testConnection());
  const decode = async (m: { value: Buffer | null }) =>
    (await registry.decode(m.value!)) as Record<string, unknown>;
  let topics: Topics;
  let processor: RunningProcessor;
  let producer: Producer;
  let input: RegisteredType<CallAttempt>;

  beforeAll(async () => {
    topics = await createTestTopics('answered-by');
    ({ input, producer } = await rawTopicWriter(registry, topics));
    // a dialer still on the schema without answeredBy, beside one on today's
    const legacy = await registerSchema<Omit<CallAttempt, 'answeredBy'>>(
      registry,
      `${uniqueName('answered-by-legacy-writer')}-value`,
      beforeAnsweredBy('call-attempt.avsc'),
    );
    const { answeredBy: _absent, ...legacyEvent } = cases.legacy;
    processor = await startInProcess(topics, {});
    await producer.send({
      topic: topics.input,
      messages: [
        ...Object.entries(cases)
          .filter(([name]) => name !== 'legacy')
          .map(([, a]) => ({ key: a.leadId, value: input.encode(a) })),
        { key: cases.legacy.leadId, value: legacy.encode(legacyEvent) },
      ],
    });
  });
  afterAll(async () => {
    await processor?.stop();
    await producer?.disconnect();
    await deleteTopics(topics);
  });

  it('retries a machine answer, removes a fax number, and leaves a person or an unknown answer CONNECTED', async () => {
    const enriched = await Promise.all(
      (await readTopic(topics.enriched, Object.keys(cases).length)).map(decode),
    );
    const byEvent = new Map(enriched.map((v) => [v.eventId as string, v]));
    const get = (name: keyof typeof cases) => byEvent.get(cases[name].eventId)!;
    expect(get('machine')).toMatchObject({
      answeredBy: 'MACHINE',
      disposition: 'ANSWERING_MACHINE',
      action: 'RETRY',
      ruleId: 'answering-machine',
    });
    expect(get('fax')).toMatchObject({ answeredBy: 'FAX', disposition: 'FAX', removalScope: 'NUMBER' });
    expect(get('human')).toMatchObject({ answeredBy: 'HUMAN', disposition: 'CONNECTED', action: 'NONE' });
    expect(get('unknown')).toMatchObject({ answeredBy: 'UNKNOWN', disposition: 'CONNECTED', action: 'NONE' });
    // written without the field: read as null, the seed's 200 row
    expect(get('legacy')).toMatchObject({ answeredBy: null, disposition: 'CONNECTED', action: 'NONE' });

    const [retry] = await Promise.all((await readTopic(topics.retry, 1)).map(decode));
    expect(retry).toMatchObject({ eventId: cases.machine.eventId, disposition: 'ANSWERING_MACHINE' });
    expect((retry!.retryAt as number) - cases.machine.endedAt).toBeGreaterThanOrEqual(4 * 3_600_000);
    const [removal] = await Promise.all((await readTopic(topics.removal, 1)).map(decode));
    expect(removal).toMatchObject({ eventId: cases.fax.eventId, disposition: 'FAX', scope: 'NUMBER' });
  });

  it('evolves every schema BACKWARD-compatibly: the registry accepts today’s after the one before answeredBy', async () => {
    for (const file of [
      'call-attempt.avsc',
      'call-attempt-enriched.avsc',
      'retry-request.avsc',
      'lead-removal.avsc',
      'compliance-alert.avsc',
    ]) {
      const subject = `${uniqueName('answered-by-compat')}-value`;
      const before = await registerSchema(registry, subject, beforeAnsweredBy(file));
      const today = await registerSchema(registry, subject, readSchema(file));
      expect(today.id, file).not.toBe(before.id);
    }
  });
});
