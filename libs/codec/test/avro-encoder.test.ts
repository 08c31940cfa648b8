import avro from 'avsc';
import { describe, expect, it } from 'vitest';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { registerSchema } from '../src/avro-encoder';
import { frame } from '../src/wire-format';

const schema = { type: 'record', name: 'R', fields: [{ name: 's', type: 'string' }] };
// registerSchema only needs the id back from the registry
const registry = { register: async () => ({ id: 77 }) } as unknown as SchemaRegistry;

describe('registered encoder', () => {
  it('frames records exactly like header + toBuffer, small and large', async () => {
    const bound = await registerSchema<{ s: string }>(registry, 's-value', schema);
    const type = avro.Type.forSchema(schema as avro.Schema);
    for (const s of ['', 'busy', 'x'.repeat(100_000)]) {
      expect(bound.encode({ s }).equals(frame(77, type.toBuffer({ s })))).toBe(true);
    }
  });

  it('returns a buffer of its own for every record (no shared scratch leaks out)', async () => {
    const bound = await registerSchema<{ s: string }>(registry, 's-value', schema);
    const a = bound.encode({ s: 'first' });
    bound.encode({ s: 'second, longer' });
    expect(avro.Type.forSchema(schema as avro.Schema).fromBuffer(a.subarray(5))).toEqual({ s: 'first' });
  });
});
