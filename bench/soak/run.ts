// `npm run soak`: the processor under a long steady load. Does its memory stay flat, does its
// event loop stay responsive, and does every event come out? See the Soak part of docs/performance.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { codeOf } from '@sipflow/errors';
import { provisionTopicsAndSchemas } from '@sipflow/kafka';
import { repoRoot } from '@sipflow/stack';
import { peakRssBytes } from '../e2e/proc-stats';
import { auditRun } from './audit';
import { parseSoakArgs, type SoakSettings } from './options';
import { startSoakProcessor, type SoakProcessor } from './processor';
import { progressLine } from './progress';
import { provenance } from './provenance';
import { PERFORMANCE_DOC } from '../doc-section';
import { markdownSection, updateDoc, type SoakResults } from './report';
import { createSampler } from './sample';
import { summarise } from './summary';
import { watchSoak } from './watch';
import { prefixedTopics, topicsFromEnv, topicsToEnv, type Topics } from '@sipflow/pipeline';
import { benchCluster, benchLog } from '../bench-cluster';

const log = benchLog;

let settings: SoakSettings;
try {
  // --no-docs: the current name of --no-readme (the section moved from the README to docs/performance.md)
  settings = parseSoakArgs(process.argv.slice(2).map((a) => (a === '--no-docs' ? '--no-readme' : a)));
} catch (err) {
  process.stderr.write(`${codeOf(err)}: ${(err as Error).message}\n`);
  process.exit(2);
}
const runStarted = Date.now();
const deadline = runStarted + settings.deadlineSeconds * 1000;
const interrupted = new AbortController();
process.once('SIGINT', () => {
  log('interrupted: stopping the load and the processor');
  interrupted.abort();
});

const { endpoints, env, conn, kafka, registry, admin } = await benchCluster('sipflow-soak');

const id = `soak-${Date.now().toString(36)}`;
const topics: Topics = { ...prefixedTopics(topicsFromEnv({}), id), input: `${id}.raw` };
const groupId = `${id}.processor`;
let exitCode = 1;
let processor: SoakProcessor | undefined;
try {
  await provisionTopicsAndSchemas(conn, topics, { partitions: settings.partitions, replicationFactor: 1 });
  log(`topics ${id}.*, ${settings.partitions} partitions; starting sipflow process (${settings.guarantee})`);
  processor = await startSoakProcessor(
    {
      ...env,
      ...topicsToEnv(topics),
      CONSUMER_GROUP: groupId,
      PROCESSING_GUARANTEE: settings.guarantee,
      TRANSACTIONAL_ID: id,
      LOG_LEVEL: 'warn',
    },
    120_000,
  );
  log(
    `processor ready (pid ${processor.pid}, ${processor.metricsUrl}); offering ${settings.events} events ` +
      `at ${settings.rate}/s, a sample every ${settings.sampleSeconds} s`,
  );

  const startedAt = Date.now();
  const watched = await watchSoak({
    settings,
    kafka,
    registry,
    inputTopic: topics.input,
    processor,
    sampler: createSampler({
      pid: processor.pid,
      metricsUrl: processor.metricsUrl,
      admin,
      groupId,
      inputTopic: topics.input,
      startedAt,
    }),
    startedAt,
    deadline,
    signal: interrupted.signal,
    onSample: (s, prev) => log(progressLine(s, prev, settings.events)),
  });
  // read before the stop: the high-water mark of the whole life, start-up included
  const peakRssMB = processor.exit() ? NaN : peakRssBytes(processor.pid) / 2 ** 20;
  const shutdown = await processor.stop(35_000);
  log(`SIGTERM: exit ${shutdown.code ?? shutdown.signal} in ${shutdown.ms} ms`);

  const failures: string[] = [];
  let audit: SoakResults['audit'] = null;
  if (watched.fatal) {
    failures.push(watched.fatal);
  } else {
    log(`caught up ${watched.catchUpSeconds.toFixed(1)} s after the last event; auditing the topics`);
    audit = await auditRun({
      env: { ...env, ...topicsToEnv(topics) },
      exactlyOnce: settings.guarantee === 'exactly_once',
      timeoutSeconds: Math.max(120, Math.ceil(settings.events / 2000)),
    });
    log(
      `audit: ${audit.inputs} inputs: ${audit.processed} processed, ${audit.deadLettered} dead-lettered, ` +
        `${audit.lost} lost, ${audit.duplicated} duplicated, ${audit.wrongRouting} wrongly routed (${Math.round(audit.elapsedMs / 1000)} s)`,
    );
    // loss, wrong routing, an incomplete read (and duplicates under exactly-once)
    failures.push(...audit.failures.map((f) => `audit: ${f}`));
    // no crash in a soak, and a clean SIGTERM never repeats outputs (see Guarantees)
    if (!audit.failures.some((f) => f.includes('duplicate')) && audit.duplicated > 0)
      failures.push(`audit: ${audit.duplicated} duplicate record(s) without a crash`);
    if (audit.exitCode !== 0 && audit.failures.length === 0) failures.push(`audit exited ${audit.exitCode}`);
  }
  const summary = summarise(watched.samples, {
    warmUpSeconds: settings.warmUpSeconds,
    peakRssMB,
    rssBudgetMB: settings.rssBudgetMB,
  });
  // after a fatal failure these would only repeat it (no samples, no peak, a killed process)
  if (!watched.fatal) {
    if (shutdown.code !== 0)
      failures.push(`SIGTERM: the processor exited ${shutdown.code ?? shutdown.signal}`);
    if (!summary.flat.flat) failures.push(`RSS not flat: ${summary.flat.reason}`);
    if (!summary.withinBudget)
      failures.push(`peak RSS ${Math.round(peakRssMB)} MB over the ${settings.rssBudgetMB} MB budget`);
  }

  const results: SoakResults = {
    command: ['npm run soak', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
    date: new Date(runStarted).toISOString(),
    ...(await provenance(endpoints.external)),
    settings,
    topics: `${id}.*`,
    load: watched.load,
    catchUpSeconds: watched.catchUpSeconds,
    shutdown,
    audit,
    summary,
    failures,
    samples: watched.samples,
  };
  const dir = join(repoRoot, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `soak-${results.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const section = markdownSection(results);
  process.stdout.write(`${section}\n\nresults: ${file}\n`);
  // a run that never reached the audit is not a soak result worth showing; its JSON says why
  if (settings.readme && audit) await updateDoc(join(repoRoot, PERFORMANCE_DOC), section);
  exitCode = failures.length === 0 ? 0 : 1;
  log(exitCode === 0 ? 'soak: passed' : `soak: FAILED: ${failures.join('; ')}`);
} finally {
  // an error mid-run must not leave a processor running on its own
  if (processor && !processor.exit()) await processor.stop(35_000);
  if (!settings.keepTopics) {
    await admin.deleteTopics({ topics: Object.values(topics) }).catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  await admin.disconnect();
}
process.exit(exitCode);
