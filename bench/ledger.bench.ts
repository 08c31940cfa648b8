/**
 * What the abandoned-call ledger adds to the classify stage, and what its own stage costs, on one
 * core: processBatch over the same batches with and without `ledgerTopic` (the partials), in
 * alternating runs so both see the same machine, then ledgerBatch over the partials they wrote.
 *
 *   npx tsx bench/ledger.bench.ts [events=200000] [batch=500] [runs=7]
 *
 * Prints both rates, their ratio per run and the median, the partials per batch, and writes
 * bench/results/ledger-<date>.json (machine, figures, command).
 */
import { writeFileSync } from 'node:fs';
import { arch, cpus, platform, release } from 'node:os';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { AvroDecoder, frame, type CallAttempt } from '@sipflow/codec';
import {
  inputReaderType,
  ledgerBatch,
  offlineEncoders,
  prefixedTopics,
  processBatch,
  topicsFromEnv,
  type InputRecord,
  type PipelineDeps,
} from '@sipflow/pipeline';
import { defaultRules, EMPTY_LEDGER, type LedgerState } from '@sipflow/rules';
import { createAttemptGenerator } from '../services/simulator/src/attempt-generator';

const EVENTS = Number(process.argv[2] ?? 200_000);
const BATCH = Number(process.argv[3] ?? 500);
const RUNS = Number(process.argv[4] ?? 7);
const SCHEMA_ID = 7;
const PARTIALS = 'bench.ledger-partials';

const readerType = inputReaderType();
const registry = {
  getSchema: async () => readerType,
} as unknown as SchemaRegistry;

// a dialer with answering-machine detection, one campaign drifting towards 4 % abandoned: every
// field the ledger reads is set, as in `npm start`
const generator = createAttemptGenerator({
  seed: 7,
  answeringMachineDetection: true,
  abandonmentDriftTo: 0.04,
});
const batches: InputRecord[][] = [];
for (let b = 0; b * BATCH < EVENTS; b++)
  batches.push(
    Array.from({ length: Math.min(BATCH, EVENTS - b * BATCH) }, (_, i) => {
      const event: CallAttempt = generator.next();
      return {
        key: Buffer.from(event.leadId),
        value: frame(SCHEMA_ID, readerType.toBuffer(event)),
        offset: String(b * BATCH + i),
        timestamp: String(event.endedAt),
      };
    }),
  );

const decoder = new AvroDecoder<CallAttempt>(registry, readerType);
await decoder.prepare([frame(SCHEMA_ID, Buffer.alloc(1))]);
const topics = prefixedTopics(topicsFromEnv({}), 'bench');
const rules = defaultRules();
const deps: PipelineDeps = {
  decoder,
  rules,
  encoders: offlineEncoders(topics),
  topics,
  maxRecordBytes: 1024 * 1024,
  replayId: null,
};
const source = { topic: topics.input, partition: 0 };

/** One pass over every batch; events/s. The per-number state is left out: the ledger is what differs. */
function classifyPass(ledger: boolean): { rate: number; partials: InputRecord[] } {
  const partials: InputRecord[] = [];
  const d = ledger ? { ...deps, ledgerTopic: PARTIALS } : deps;
  const started = performance.now();
  for (const batch of batches) {
    const result = processBatch(source, batch, d);
    if (ledger)
      for (const t of result.topicMessages)
        if (t.topic === PARTIALS)
          for (const m of t.messages)
            partials.push({
              key: null,
              value: m.value as Buffer,
              offset: String(partials.length),
              timestamp: '0',
            });
  }
  return { rate: EVENTS / ((performance.now() - started) / 1000), partials };
}

function ledgerPass(partials: InputRecord[]): number {
  const map = new Map<string, LedgerState>();
  const view = {
    get: (k: string) => map.get(k) ?? EMPTY_LEDGER,
    set: (k: string, v: LedgerState) => void map.set(k, v),
  };
  const started = performance.now();
  for (let i = 0; i < partials.length; i += 100)
    ledgerBatch({ topic: PARTIALS, partition: 0 }, partials.slice(i, i + 100), {
      rules,
      view,
      encoder: deps.encoders.abandonment,
      topics,
    });
  return partials.length / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// warm up both paths
for (let i = 0; i < 2; i++) {
  classifyPass(false);
  classifyPass(true);
}
const rows: {
  without: number;
  withLedger: number;
  ratio: number;
  partials: number;
  ledgerPartialsPerSec: number;
}[] = [];
for (let run = 0; run < RUNS; run++) {
  // alternate which goes first, so neither always runs on a warmer or cooler machine
  const first = run % 2 === 0;
  const a = first ? classifyPass(false) : classifyPass(true);
  const b = first ? classifyPass(true) : classifyPass(false);
  const without = first ? a : b;
  const withLedger = first ? b : a;
  const row = {
    without: without.rate,
    withLedger: withLedger.rate,
    ratio: withLedger.rate / without.rate,
    partials: withLedger.partials.length,
    ledgerPartialsPerSec: ledgerPass(withLedger.partials),
  };
  rows.push(row);
  console.log(
    `run ${run + 1}: without ${Math.round(row.without)} events/s, with partials ${Math.round(row.withLedger)} events/s (${row.ratio.toFixed(3)}x); ` +
      `${row.partials} partials (${(row.partials / batches.length).toFixed(1)} a batch); ledger stage ${Math.round(row.ledgerPartialsPerSec)} partials/s`,
  );
}
const summary = {
  medianRatio: median(rows.map((r) => r.ratio)),
  medianWithout: median(rows.map((r) => r.without)),
  medianWithLedger: median(rows.map((r) => r.withLedger)),
  partialsPerBatch: rows[0]!.partials / batches.length,
  partialsPerEvent: rows[0]!.partials / EVENTS,
  medianLedgerPartialsPerSec: median(rows.map((r) => r.ledgerPartialsPerSec)),
};
console.log(
  `median: ${summary.medianRatio.toFixed(3)}x the classify stage's rate with partials; ` +
    `${summary.partialsPerBatch.toFixed(1)} partials a batch of ${BATCH} (${(summary.partialsPerEvent * 100).toFixed(2)} % of the events); ` +
    `the ledger stage adds ${Math.round(summary.medianLedgerPartialsPerSec)} partials/s`,
);
const file = `bench/results/ledger-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
writeFileSync(
  file,
  JSON.stringify(
    {
      command: `npx tsx bench/ledger.bench.ts ${EVENTS} ${BATCH} ${RUNS}`,
      machine: {
        platform: platform(),
        release: release(),
        arch: arch(),
        cpus: cpus().length,
        cpu: cpus()[0]?.model,
        node: process.version,
      },
      events: EVENTS,
      batch: BATCH,
      runs: rows,
      summary,
    },
    null,
    2,
  ) + '\n',
);
console.log(`wrote ${file}`);
