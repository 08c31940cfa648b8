// `npx tsx bench/clients/run.ts [--records N] [--runs K]`: the processor's candidate Kafka clients
// (issue #16) on the running broker, each operation in a process of its own, interleaved per round
// (the client order rotates every round) so the machine's load falls on all alike. Writes
// bench/results/clients-<date>.json; every topic it creates is deleted at the end.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { confluentAvailability } from '@sipflow/kafka';
import { CLIENTS, DESCRIPTIONS, needsConfluent, type ClientName } from './clients';
import { parseOptions } from './options';
import { checkPlacement, platformaticPartitioners, type PlacementCheck } from './partitions';
import { leadIds } from './records';
import { markdownTable, summarize, type Row } from './report';
import { runWorker } from './spawn-worker';
import { connectAdmin, topicKeeper } from './topics';
import type { Operation } from './worker';

const say = (line: string) => process.stderr.write(`${line}\n`);
const opts = parseOptions(process.argv.slice(2));
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const runId = `${Date.now().toString(36)}`;

const confluent = confluentAvailability();
const skipped: Partial<Record<ClientName, string>> = {};
for (const c of opts.clients) if (needsConfluent(c) && !confluent.installed) skipped[c] = confluent.reason;
const clients = opts.clients.filter((c) => !skipped[c]);
const BASELINE: ClientName = 'kafkajs-sipflow';
if (!clients.includes(BASELINE))
  throw new Error(`${BASELINE} is the baseline of every ratio: keep it in --clients`);

/** A package's version from its package.json on disk (@platformatic/kafka's exports hide it from require). */
const version = (pkg: string) => {
  try {
    const file = new URL(`../../node_modules/${pkg}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  } catch {
    return null;
  }
};

const admin = await connectAdmin(brokers);
const topics = topicKeeper(admin, runId);
const loadBefore = os.loadavg();
const rows: Row[] = [];
const row = (client: ClientName, op: Operation) => {
  let r = rows.find((x) => x.client === client && x.op === op);
  if (!r) rows.push((r = { client, op, runs: [] }));
  return r;
};
const placement: Partial<Record<ClientName, PlacementCheck>> = {};
let failure: unknown;

const stop = () => {
  say('interrupted: deleting the run’s topics');
  void topics.deleteAll().finally(() => process.exit(130));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);

try {
  for (const c of Object.keys(skipped)) say(`skipping ${c}: ${skipped[c as ClientName]}`);
  // one source for every consume run: the same batches, written once by the baseline client
  const source = await topics.create('source');
  say(`filling ${source} with ${opts.records.toLocaleString()} records`);
  await runWorker({
    client: BASELINE,
    op: 'produce',
    topic: source,
    records: opts.records,
    brokers,
    id: runId,
  });

  const ops: Operation[] = ['produce', 'consume', 'transactional'];
  for (let round = 0; round < opts.runs; round++) {
    const order = clients.map((_, i) => clients[(i + round) % clients.length]!);
    for (const op of ops)
      for (const client of order) {
        const id = `${runId}-${client}-${op}-${round}`;
        const topic = op === 'consume' ? source : await topics.create(`${client}-${op}-${round}`);
        const m = await runWorker({
          client,
          op,
          topic,
          records: opts.records,
          brokers,
          id: `clientbench-${id}`,
        });
        row(client, op).runs.push(m);
        say(
          `round ${round + 1}/${opts.runs} ${op.padEnd(13)} ${client.padEnd(17)} ${Math.round(m.recordsPerSecond).toLocaleString().padStart(9)} records/s ` +
            `${m.cpuSecondsPer1M.toFixed(1).padStart(6)} CPU s/1M  peak RSS ${Math.round(m.peakRssMB)} MB`,
        );
        if (op !== 'consume') await topics.delete(topic);
      }
  }

  say(`partitioner check: ${opts.placementKeys.toLocaleString()} leadId keys per client`);
  for (const client of clients) {
    const topic = await topics.create(`${client}-place`);
    await runWorker({ client, op: 'place', topic, records: opts.placementKeys, brokers, id: runId });
    const check = (placement[client] = await checkPlacement(brokers, topic, opts.placementKeys));
    say(
      check.mismatches === 0
        ? `  ${client}: all ${check.keys.toLocaleString()} keys on Java's partition`
        : `  !!! ${client}: ${check.mismatches} of ${check.keys} keys NOT on Java's murmur2 partition, e.g. ${check.examples.join('; ')}`,
    );
    await topics.delete(topic);
  }
} catch (err) {
  failure = err;
} finally {
  await topics.deleteAll().catch((err: Error) => say(`could not delete the run's topics: ${err.message}`));
  await admin.disconnect();
}

const asFunctions = platformaticPartitioners(leadIds(opts.placementKeys));
say(
  `@platformatic/kafka as functions: defaultPartitioner differs from Java on ${asFunctions.defaultMismatches} of ${asFunctions.keys} keys, ` +
    `compatibilityPartitioner on ${asFunctions.compatibilityMismatches}`,
);
const summaries = summarize(rows, BASELINE);
process.stdout.write(`\n${markdownTable(summaries)}\n`);
const mismatched = Object.entries(placement).filter(([, c]) => c.mismatches > 0);
if (mismatched.length > 0) say(`!!! PARTITIONER MISMATCH: ${mismatched.map(([c]) => c).join(', ')}`);

const date = new Date().toISOString();
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/clients-${date.slice(0, 10)}.json`;
writeFileSync(
  file,
  `${JSON.stringify(
    {
      benchmark: 'clients',
      date,
      command: `npx tsx bench/clients/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
      options: opts,
      machine: {
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model,
        node: process.version,
        loadAverageBefore: loadBefore,
        loadAverageAfter: os.loadavg(),
        broker: 'co-located, loopback',
      },
      versions: {
        kafkajs: version('kafkajs'),
        '@platformatic/kafka': version('@platformatic/kafka'),
        '@confluentinc/kafka-javascript': confluent.installed ? confluent.version : null,
        librdkafka: confluent.installed ? confluent.librdkafka : null,
      },
      clients: Object.fromEntries(CLIENTS.map((c) => [c, DESCRIPTIONS[c]])),
      skipped,
      summaries,
      placement,
      platformaticPartitionersAsFunctions: asFunctions,
      rows,
      error: failure ? String((failure as Error).stack ?? failure) : undefined,
    },
    null,
    2,
  )}\n`,
);
say(`wrote ${file}`);
if (failure) {
  say(`the run failed: ${(failure as Error).message}`);
  process.exit(1);
}
process.exit(mismatched.length > 0 ? 3 : 0);
