// `npm run bench:profile`: one `sipflow process` drain of a prefilled topic under `node --cpu-prof`,
// then the profile's top self-time entries, grouped by package (kafkajs, avsc, node internals, GC,
// sipflow's own code). What the throughput work was measured with: run it before and after a
// change, same session, and compare the shares and the CPU seconds per million events. Options:
// --events, --partitions, --guarantee, --workers, --input/--keep-input (the same records for
// before and after), --rules FILE (RULES_FILE of the processor), --top N.
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureTopics, provisionTopicsAndSchemas } from '@sipflow/kafka';
import { outputTopics, prefixedTopics, stateTopicsOf, topicsFromEnv } from '@sipflow/pipeline';
import { defaultRules, loadRules } from '@sipflow/rules';
import { repoRoot } from '@sipflow/stack';
import { drain } from './drain';
import { prefill } from './prefill';
import { topSelfTime, type CpuProfile } from './profile-summary';
import { benchCluster, benchLog } from '../bench-cluster';
import { SIPFLOW_PROCESS, sipflowDrainEnv } from '../sipflow-process';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '300000' },
    partitions: { type: 'string', default: '3' },
    guarantee: { type: 'string', default: 'at_least_once' },
    workers: { type: 'string', default: '1' },
    // an input topic prefilled by an earlier run (--keep-input), so before/after read the same records
    input: { type: 'string' },
    'keep-input': { type: 'boolean', default: false },
    'profile-dir': { type: 'string', default: join(repoRoot, '.sipflow/profiles') },
    top: { type: 'string', default: '25' },
    // a rules file for the processor (RULES_FILE); the shipped rules by default
    rules: { type: 'string' },
  },
});
const events = Number(args.events);
const partitions = Number(args.partitions);
const log = benchLog;

const { env, conn, kafka, registry, admin } = await benchCluster('sipflow-profile');
const id = `profile-${Date.now().toString(36)}`;
const created: string[] = [];
try {
  let input = args.input;
  if (input === undefined) {
    input = `${id}.raw`;
    await ensureTopics(admin, [{ topic: input, partitions, replicationFactor: 1 }]);
    if (!args['keep-input']) created.push(input);
    log(`prefilling ${input} with ${events} events`);
    await prefill({ kafka, registry, topic: input, count: events, seed: 42 });
  }
  const topics = { ...prefixedTopics(topicsFromEnv({}), id), input };
  await provisionTopicsAndSchemas(conn, topics, { partitions, replicationFactor: 1 });
  created.push(...outputTopics(topics));
  // the shipped rules cap calls per number: the processor forwards each record to a repartition
  // topic and classifies it from there, so the drain is timed until that second stage is done
  const rules = args.rules === undefined ? defaultRules() : loadRules(args.rules);
  const stateTopics = rules.stateWindowMs > 0 ? stateTopicsOf(input, id) : undefined;
  if (stateTopics) created.push(...Object.values(stateTopics));
  const dir = join(args['profile-dir'], id);
  mkdirSync(dir, { recursive: true });
  log(`draining ${input} (${args.guarantee}, ${args.workers} worker(s)) under --cpu-prof into ${dir}`);
  const r = await drain({
    admin,
    command: ['--cpu-prof', '--cpu-prof-dir', dir, ...SIPFLOW_PROCESS],
    env: sipflowDrainEnv({
      cluster: env,
      topics,
      group: id,
      guarantee: args.guarantee,
      workers: args.workers,
      ...(args.rules === undefined ? {} : { rulesFile: args.rules }),
    }),
    groupId: id,
    inputTopic: input,
    outputTopics: outputTopics(topics),
    count: events,
    brokerPid: undefined,
    timeoutMs: Math.max(180_000, events / 2),
    ...(stateTopics
      ? {
          completion: {
            topic: stateTopics.repartition,
            transactional: args.guarantee === 'exactly_once',
          },
        }
      : {}),
  });
  process.stdout.write(
    `node ${process.version}: ${Math.round(r.inputEventsPerSec)} events/s in, ` +
      `${Math.round(r.outputRecordsPerSec)} records/s out, ${r.cpuSecondsPer1M.toFixed(1)} CPU s per 1M events ` +
      `(with its workers), peak RSS ${Math.round(r.peakRssMB)} MB\n`,
  );
  // --cpu-prof writes one file per process (the primary and each worker) as it exits
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort((a, b) => statSync(join(dir, b)).size - statSync(join(dir, a)).size);
  for (const f of files) {
    const summary = topSelfTime(
      JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile,
      Number(args.top),
    );
    process.stdout.write(`\n${f}\n${summary}\n`);
  }
  if (args['keep-input'] && args.input === undefined) log(`kept ${input}: pass --input ${input} next time`);
} finally {
  if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => undefined);
  await admin.disconnect();
}
