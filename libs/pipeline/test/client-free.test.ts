import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The pure core speaks its own record types (src/records.ts): no Kafka client in its imports or
 * its dependencies, so it does not change when the client does.
 */
const KAFKA_CLIENTS = ['kafkajs', '@confluentinc/kafka-javascript', '@platformatic/kafka', 'node-rdkafka'];
const root = join(import.meta.dirname, '..');

const importsOf = (source: string) =>
  [
    ...source.matchAll(/(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2]!);
const isClient = (specifier: string) =>
  KAFKA_CLIENTS.some((c) => specifier === c || specifier.startsWith(`${c}/`));

describe('libs/pipeline is free of any Kafka client', () => {
  it('no source file imports one', () => {
    const sources = readdirSync(join(root, 'src')).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(5);
    const offenders = sources.flatMap((f) =>
      importsOf(readFileSync(join(root, 'src', f), 'utf8'))
        .filter(isClient)
        .map((s) => `${f}: ${s}`),
    );
    expect(offenders).toEqual([]);
  });

  it('the import scan sees a client import when there is one', () => {
    expect(importsOf("import type { KafkaMessage } from 'kafkajs';").filter(isClient)).toEqual(['kafkajs']);
    expect(importsOf("export { x } from 'kafkajs/src/x.js';").filter(isClient)).toEqual(['kafkajs/src/x.js']);
  });

  it('its package depends on none', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    expect(Object.keys(pkg.dependencies ?? {}).filter(isClient)).toEqual([]);
  });
});
