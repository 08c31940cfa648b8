// `npm run bench:state`: what the per-number state costs. On one broker, interleaved run by run:
// sipflow in both guarantees with the caps off (the same rules without the US profile's per-number
// caps: no state) and on (the shipped rules: a repartition hop and changelog writes), and on with
// STATE_PARTITIONING=input over an input keyed by number; then the restore rate of the changelogs
// those runs wrote and of synthetic ones (version-2 and version-1 values), the memory per tracked
// number against the heap layout before the compact store (memory.ts), and a restart from a local
// snapshot (snapshot.ts).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTopics, provisionTopicsAndSchemas } from '@sipflow/kafka';
import { outputTopics, prefixedTopics, stateTopicsOf, topicsFromEnv } from '@sipflow/pipeline';
import { repoRoot } from '@sipflow/stack';
import { PERFORMANCE_DOC } from '../doc-section';
import { drain, type DrainResult } from '../e2e/drain';
import { prefill } from '../e2e/prefill';
import { machine, packageVersion } from '../soak/provenance';
import { writeCapsOffRules } from './caps-off-rules';
import { measureMemory } from './memory';
import { measureSnapshot, type SnapshotRow } from './snapshot';
import { measureRestore, writeSyntheticChangelog, type RestoreRate } from './restore-rate';
import { stateTable, updateStateDoc, VARIANTS, type StateResults, type VariantName } from './report';
import { benchCluster, benchLog } from '../bench-cluster';
import { SIPFLOW_PROCESS, sipflowDrainEnv } from '../sipflow-process';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    runs: { type: 'string', default: '3' },
    partitions: { type: 'string', default: '3' },
    // PROCESSOR_WORKERS of every run: 1, as the end-to-end bench's main rows (auto: one per core)
    workers: { type: 'string', default: '1' },
    // numbers in the synthetic changelog whose restore is timed; 0 leaves it out
    'synthetic-numbers': { type: 'string', default: '500000' },
    'memory-numbers': { type: 'string', default: '200000,1000000' },
    'snapshot-numbers': { type: 'string', default: '1000000' },
    // an external broker's JVM, for its CPU per event (the state adds two writes per event)
    'broker-pid': { type: 'string' },
    'no-docs': { type: 'boolean', default: false },
  },
});
const events = Number(args.events);
const runs = Number(args.runs);
const partitions = Number(args.partitions);
const log = benchLog;

const { endpoints, env, conn, kafka, registry, admin } = await benchCluster('sipflow-bench-state');
const brokerPid = args['broker-pid'] ? Number(args['broker-pid']) : undefined;
const id = `bench-state-${Date.now().toString(36)}`;
const created: string[] = [];
const capsOffRules = writeCapsOffRules();

try {
  const byLead = `${id}.raw`;
  const byNumber = `${id}.raw-by-number`;
  await ensureTopics(admin, [
    { topic: byLead, partitions, replicationFactor: 1 },
    { topic: byNumber, partitions, replicationFactor: 1 },
  ]);
  created.push(byLead, byNumber);
  // the same events (one seed) in both: only their keys differ
  log(`prefilling ${byLead} and ${byNumber} with ${events} events each`);
  const recordBytes = Math.round(await prefill({ kafka, registry, topic: byLead, count: events, seed: 42 }));
  await prefill({ kafka, registry, topic: byNumber, count: events, seed: 42, keyBy: 'phoneNumber' });

  const timeoutMs = Math.max(300_000, events * 3);
  const results = new Map<VariantName, DrainResult[]>(VARIANTS.map((v) => [v.name, []]));
  const lastChangelogs: Array<{ variant: VariantName; changelog: string }> = [];
  for (let i = 0; i < runs; i++) {
    // a different order each run, so no variant always runs first (cold page cache, a quiet machine)
    const order = VARIANTS.map((_, k) => VARIANTS[(k + i) % VARIANTS.length]!);
    for (const v of order) {
      const name = `${v.name}-${i}`;
      const group = `${id}.${name}`;
      const input = v.partitioning === 'input' ? byNumber : byLead;
      const topics = { ...prefixedTopics(topicsFromEnv({}), group), input };
      await provisionTopicsAndSchemas(conn, topics, { partitions, replicationFactor: 1 });
      const state = stateTopicsOf(input, group);
      created.push(...outputTopics(topics), ...(v.caps === 'on' ? Object.values(state) : []));
      log(`run ${i + 1}/${runs}: ${v.name}`);
      const r = await drain({
        admin,
        command: SIPFLOW_PROCESS,
        env: {
          ...sipflowDrainEnv({
            cluster: env,
            topics,
            group,
            guarantee: v.guarantee,
            workers: args.workers,
            ...(v.caps === 'off' ? { rulesFile: capsOffRules } : {}),
          }),
          STATE_PARTITIONING: v.partitioning,
        },
        groupId: group,
        inputTopic: input,
        outputTopics: outputTopics(topics),
        count: events,
        brokerPid,
        timeoutMs,
        // through the repartition topic, a record is done once its copy there is classified
        ...(v.caps === 'on' && v.partitioning === 'repartition'
          ? { completion: { topic: state.repartition, transactional: v.guarantee === 'exactly_once' } }
          : {}),
      });
      log(
        `  ${Math.round(r.inputEventsPerSec)} events/s, ${r.cpuSecondsPer1M.toFixed(1)} CPU s per 1M, peak RSS ${Math.round(r.peakRssMB)} MB`,
      );
      results.get(v.name)!.push(r);
      if (i === runs - 1 && v.caps === 'on')
        lastChangelogs.push({ variant: v.name, changelog: state.changelog });
    }
  }

  const restores: Array<RestoreRate & { of: string }> = [];
  for (const { variant, changelog } of lastChangelogs) {
    log(`restoring ${changelog}`);
    const r = await measureRestore(kafka, admin, changelog);
    log(`  ${r.numbers} numbers from ${r.records} records in ${r.seconds.toFixed(2)} s`);
    restores.push({ ...r, of: `the changelog of ${variant} (last run)` });
  }
  const synthetic = Number(args['synthetic-numbers']);
  // both value formats, one run: version 2 is what the processor writes, version 1 (JSON) what it
  // wrote before the compact store and still reads
  for (const format of synthetic > 0 ? (['binary', 'json'] as const) : []) {
    const topic = `${id}.synthetic-changelog-${format}`;
    created.push(topic);
    log(`writing a synthetic changelog of ${synthetic} numbers (${format} values)`);
    await writeSyntheticChangelog({ kafka, admin, topic, partitions, numbers: synthetic, format, log });
    const r = await measureRestore(kafka, admin, topic);
    log(`  ${r.numbers} numbers from ${r.records} records in ${r.seconds.toFixed(2)} s`);
    const label = format === 'binary' ? 'version 2, binary' : 'version 1, JSON';
    restores.push({ ...r, of: `a synthetic changelog, ${synthetic} numbers of 3 calls (${label})` });
  }

  log('memory per tracked number (bench/state/memory.ts)');
  const memory = measureMemory(args['memory-numbers'].split(',').map(Number));
  log('restart from a snapshot (bench/state/snapshot.ts)');
  const snapshots: SnapshotRow[] = [];
  for (const n of args['snapshot-numbers'].split(',').map(Number)) snapshots.push(await measureSnapshot(n));

  const out: StateResults = {
    command: [
      'npm run bench:state',
      ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : []),
    ].join(' '),
    date: new Date().toISOString(),
    machine: machine(),
    versions: { node: process.version, kafkajs: packageVersion('kafkajs') },
    settings: { events, runs, partitions, workers: args.workers, recordBytes, external: endpoints.external },
    runs: Object.fromEntries(results) as StateResults['runs'],
    restores,
    memory,
    snapshots,
  };
  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `state-${out.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  const table = stateTable(out);
  process.stdout.write(`${table}\n\nresults: ${file}\n`);
  if (!args['no-docs']) await updateStateDoc(join(repoRoot, PERFORMANCE_DOC), table);
} finally {
  // only those that exist: with STATE_PARTITIONING=input there is no repartition topic, and one
  // missing topic fails the whole delete (kafkajs retried it for 80 s, then left every topic behind)
  const existing = new Set(await admin.listTopics().catch(() => [] as string[]));
  const toDelete = created.filter((t) => existing.has(t));
  if (toDelete.length > 0) await admin.deleteTopics({ topics: toDelete }).catch(() => undefined);
  await admin.disconnect();
  rmSync(dirname(capsOffRules), { recursive: true, force: true });
}
