import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallAttempt, RegisteredType } from '@sipflow/codec';
import { createRegistry } from '@sipflow/kafka';
import type { Topics } from '@sipflow/pipeline';
import type { ProcessingGuarantee } from '@sipflow/processor';
import type { Producer } from 'kafkajs';
import type { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { defaultRulesData } from '../../libs/rules/test/fixtures/rules-file';
import { attempt } from '../support/attempts';
import {
  createTestTopics,
  deleteTopics,
  header,
  readTopic,
  spawnProcessor,
  startInProcess,
  testConnection,
  rawTopicWriter,
} from '../support/processor-harness';

const TOTAL = 3000;
const CHUNK = 50;
// the first chunk's 50 random leads land on all three partitions (a miss: 3 · (2/3)^50 ≈ 5e-9)
const PARTITIONS = 3;
const SIP_CODES = [200, 486, 480, 404, 403, 503, 603, 487];

const rulesText = (version: string) => stringify({ ...defaultRulesData(), version });

async function metricValue(registry: Registry, name: string, labels: Record<string, string> = {}) {
  return (await registry.getSingleMetric(name)!.get()).values.find(
    (v) => JSON.stringify(v.labels) === JSON.stringify(labels),
  )?.value;
}

/**
 * A rules reload under load, against the real broker: the processor consumes a steady stream
 * while the rules file is replaced by a good one (swapped) and then a bad one (refused). Every
 * output must name the old or the new version, and per input partition the versions must switch
 * once: no record after the first new-version one carries the old version.
 */
describe.each<ProcessingGuarantee>(['at_least_once', 'exactly_once'])(
  'rules reload under load (%s)',
  (guarantee) => {
    let topics: Topics;
    let producer: Producer;
    let input: RegisteredType<CallAttempt>;
    let rulesFile: string;
    const registry = createRegistry(testConnection());

    beforeAll(async () => {
      topics = await createTestTopics(`reload-${guarantee === 'exactly_once' ? 'eos' : 'alo'}`, PARTITIONS);
      ({ input, producer } = await rawTopicWriter(registry, topics));
      rulesFile = join(mkdtempSync(join(tmpdir(), 'sipflow-reload-')), 'rules.yaml');
      writeFileSync(rulesFile, rulesText('old-1'));
    });
    afterAll(async () => {
      await producer?.disconnect();
      await deleteTopics(topics);
    });

    it('swaps between batches with a clean boundary per partition, and a bad file keeps the rules', async () => {
      const processor = await startInProcess(topics, {
        RULES_FILE: rulesFile,
        PROCESSING_GUARANTEE: guarantee,
        TRANSACTIONAL_ID: `${topics.input}-tx`,
      });
      try {
        let sent = 0;
        const sendChunk = async () => {
          const messages = Array.from({ length: CHUNK }, (_, i) => {
            const a = attempt({ sipCode: SIP_CODES[(sent + i) % SIP_CODES.length]! });
            return { key: a.leadId, value: input.encode(a) };
          });
          await producer.send({ topic: topics.input, messages });
          sent += CHUNK;
        };
        // the first records under the old rules, once the member has joined (which can take
        // seconds on a busy machine, longer than the whole load would last). Wait for all of the
        // first chunk's outputs, not just for something consumed: exactly-once takes one partition
        // at a time, so a partition whose first records waited until after the swap would have no
        // old-version records and no boundary to check.
        await sendChunk();
        const first = await readTopic(topics.enriched, CHUNK, { timeoutMs: 60_000 });
        expect(first).toHaveLength(CHUNK);
        expect(new Set(first.map((m) => header(m, 'sipflow-source-partition'))).size).toBe(PARTITIONS);
        const load = (async () => {
          while (sent < TOTAL) {
            await sendChunk();
            await new Promise((r) => setTimeout(r, 5));
          }
        })();

        // the swap while records keep coming
        await expect.poll(() => sent, { timeout: 60_000, interval: 5 }).toBeGreaterThanOrEqual(TOTAL / 3);
        expect(sent).toBeLessThan(TOTAL);
        writeFileSync(rulesFile, rulesText('new-2'));
        expect(processor.reloadRules()).toEqual({
          result: 'success',
          version: 'new-2',
          previousVersion: 'old-1',
        });

        // a file that does not validate (no fallback for 4xx): refused, the running rules stay
        const broken = defaultRulesData();
        broken.version = 'bad-3';
        broken.rules = broken.rules.filter((r) => r.match.sip !== '4xx');
        writeFileSync(rulesFile, stringify(broken));
        expect(processor.reloadRules()).toMatchObject({
          result: 'failure',
          version: 'new-2',
          code: 'SIPFLOW_INVALID_RULES',
        });
        await load;

        const enriched = await readTopic(topics.enriched, TOTAL, { timeoutMs: 90_000, settleMs: 1000 });
        expect(new Set(enriched.map((m) => header(m, 'sipflow-event-id'))).size).toBe(TOTAL);
        const byPartition = new Map<string, { offset: bigint; version: string }[]>();
        for (const m of enriched) {
          const value = (await registry.decode(m.value!)) as { rulesVersion: string };
          const partition = header(m, 'sipflow-source-partition')!;
          const list = byPartition.get(partition) ?? [];
          list.push({ offset: BigInt(header(m, 'sipflow-source-offset')!), version: value.rulesVersion });
          byPartition.set(partition, list);
        }
        const versions = new Set<string>();
        for (const [partition, list] of byPartition) {
          list.sort((a, b) => (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
          const firstNew = list.findIndex((r) => r.version === 'new-2');
          // every partition saw the swap (the first chunk spreads over all three), so each has a boundary
          expect(firstNew, `partition ${partition} has new-version records`).toBeGreaterThan(0);
          for (const [i, r] of list.entries()) {
            versions.add(r.version);
            expect(['old-1', 'new-2'], `partition ${partition} offset ${r.offset}`).toContain(r.version);
            if (firstNew >= 0 && i > firstNew)
              expect(r.version, `partition ${partition} offset ${r.offset} after the swap`).toBe('new-2');
          }
        }
        expect([...versions].sort()).toEqual(['new-2', 'old-1']);

        const m = processor.metrics;
        expect(await metricValue(m, 'sipflow_rules_reload_total', { result: 'success' })).toBe(1);
        expect(await metricValue(m, 'sipflow_rules_reload_total', { result: 'failure' })).toBe(1);
        expect(await metricValue(m, 'sipflow_rules_last_reload_successful')).toBe(0);
        const info = (await m.getSingleMetric('sipflow_build_info')!.get()).values;
        expect(info.map((v) => v.labels.rules_version)).toEqual(['new-2']);
      } finally {
        await processor.stop();
      }
    });
  },
);

describe('sipflow process: SIGHUP reloads RULES_FILE', () => {
  let topics: Topics;
  beforeAll(async () => {
    topics = await createTestTopics('reload-hup', 1);
  });
  afterAll(async () => {
    await deleteTopics(topics);
  });

  it('reloads on SIGHUP instead of exiting, refuses a bad file, and still stops cleanly on SIGTERM', async () => {
    const rulesFile = join(mkdtempSync(join(tmpdir(), 'sipflow-reload-')), 'rules.yaml');
    writeFileSync(rulesFile, rulesText('hup-1'));
    const child = spawnProcessor(topics, { RULES_FILE: rulesFile, LOG_LEVEL: 'info' });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await expect
        .poll(() => child.output(), { timeout: 60_000, interval: 100 })
        .toContain('processor running');
      writeFileSync(rulesFile, rulesText('hup-2'));
      child.kill('SIGHUP');
      await expect
        .poll(() => child.output(), { timeout: 10_000, interval: 100 })
        .toContain('"version":"hup-2"');
      expect(child.output()).toContain('rules reloaded; batches from now on use them');
      writeFileSync(rulesFile, 'version: "hup-3"\nrules: [\n');
      child.kill('SIGHUP');
      await expect
        .poll(() => child.output(), { timeout: 10_000, interval: 100 })
        .toContain('rules reload failed; the running rules stay');
      expect(child.exitCode).toBeNull();
      child.kill('SIGTERM');
      expect(await exited, child.output()).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
