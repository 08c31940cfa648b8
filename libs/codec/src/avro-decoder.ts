import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';
import { SipflowError } from '@sipflow/errors';
import { HEADER_SIZE, readSchemaId } from './wire-format';

export type DecoderEvents = {
  /** a schema id's writer schema and resolver were already cached */
  cacheHit?: (count: number) => void;
  /** a schema id had to be fetched from the registry */
  cacheMiss?: () => void;
};

/** How long a schema id the registry does not know stays known-unknown (then it is asked again). */
const UNKNOWN_ID_TTL_MS = 60_000;

/**
 * Decodes Confluent-framed Avro into the processor's own reader schema. The writer schema is
 * fetched once per id and the writer→reader resolver built once per id (avsc resolvers are costly
 * to build), so an older or newer producer schema is read without a restart.
 *
 * Fetching is async and decoding is not: `prepare()` fetches whatever ids a batch needs, once,
 * then `decode()` runs per record with no await in the hot loop.
 */
export class AvroDecoder<T> {
  private readonly resolvers = new Map<number, avro.Resolver | 'same'>();
  private readonly unknownIds = new Map<number, number>(); // id → when the registry said 404

  constructor(
    private readonly registry: SchemaRegistry,
    private readonly reader: avro.Type,
    private readonly events: DecoderEvents = {},
  ) {}

  /** Fetches the writer schemas of every framed record whose id is not cached yet. */
  async prepare(values: ReadonlyArray<Buffer | null>, now = Date.now()): Promise<void> {
    const missing = new Set<number>();
    let hits = 0;
    for (const value of values) {
      if (!value || value.length < HEADER_SIZE || value[0] !== 0) continue;
      const id = value.readInt32BE(1);
      if (this.resolvers.has(id)) hits++;
      else if (!this.isKnownUnknown(id, now)) missing.add(id);
    }
    if (hits > 0) this.events.cacheHit?.(hits);
    for (const id of missing) await this.fetchWriter(id, now);
  }

  /** Decodes one record; throws a SipflowError with a SIPFLOW_DECODE_* code for bad input. */
  decode(value: Buffer | null): T {
    const id = readSchemaId(value);
    const resolver = this.resolvers.get(id);
    if (resolver === undefined) {
      throw new SipflowError(
        'SIPFLOW_DECODE_UNKNOWN_SCHEMA',
        `schema id ${id} is not known to the schema registry`,
        { schemaId: id },
      );
    }
    let result: { value: unknown; offset: number };
    try {
      result = this.reader.decode(value!, HEADER_SIZE, resolver === 'same' ? undefined : resolver);
    } catch (err) {
      throw new SipflowError(
        'SIPFLOW_DECODE_CORRUPT_AVRO',
        `Avro body does not match schema ${id}: ${(err as Error).message}`,
        { schemaId: id },
        { cause: err },
      );
    }
    if (result.offset < 0) {
      throw new SipflowError('SIPFLOW_DECODE_CORRUPT_AVRO', `Avro body is truncated for schema ${id}`, {
        schemaId: id,
      });
    }
    if (result.offset !== value!.length) {
      throw new SipflowError(
        'SIPFLOW_DECODE_CORRUPT_AVRO',
        `Avro body has ${value!.length - result.offset} trailing bytes after a schema ${id} record`,
        { schemaId: id },
      );
    }
    return result.value as T;
  }

  private isKnownUnknown(id: number, now: number): boolean {
    const since = this.unknownIds.get(id);
    return since !== undefined && now - since < UNKNOWN_ID_TTL_MS;
  }

  private async fetchWriter(id: number, now: number): Promise<void> {
    this.events.cacheMiss?.();
    let fetched: avro.Type;
    try {
      fetched = (await this.registry.getSchema(id)) as unknown as avro.Type;
    } catch (err) {
      if (isNotFound(err)) {
        this.unknownIds.set(id, now);
        return;
      }
      throw new SipflowError(
        'SIPFLOW_REGISTRY_UNAVAILABLE',
        `schema registry did not answer for schema id ${id}: ${(err as Error).message}`,
        { schemaId: id },
        { cause: err },
      );
    }
    // rebuilt from its JSON so that the writer is a plain type of our own avsc, whatever options
    // the registry client parsed it with
    const writer = avro.Type.forSchema(fetched.schema() as avro.Schema);
    // Same schema → no resolver needed (the fast path for the common case).
    this.resolvers.set(id, writer.equals(this.reader) ? 'same' : this.reader.createResolver(writer));
    this.unknownIds.delete(id);
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { status?: number } | undefined)?.status === 404;
}
