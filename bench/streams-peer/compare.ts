// Compares the Kafka Streams peer with sipflow record by record: both process the same input (the
// bench's seeded events, plus crafted-events.ts unless --no-crafted) with the peer's rules, then
// every output record of the peer must equal sipflow's in topic, partition, key, headers and every
// field but `explanation`, and `sipflow audit` on the peer's topics must find nothing lost or
// wrongly routed. Exits 1 on any difference. Not part of `npm test` or CI: it needs a broker, a
// registry, Maven and Java.
//
//   npx tsx bench/streams-peer/compare.ts --events 20000 --guarantee exactly_once_v2
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { AvroDecoder, readSchema, registerSchema, type CallAttempt } from '@sipflow/codec';
import { SipflowError } from '@sipflow/errors';
import { ensureTopics, provisionTopicsAndSchemas } from '@sipflow/kafka';
import {
  OUTPUT_KINDS,
  RECORD_KINDS,
  outputKindsByTopic,
  outputReaderType,
  outputTopics,
  prefixedTopics,
  topicsFromEnv,
  topicsToEnv,
  type OutputKind,
  type Topics,
} from '@sipflow/pipeline';
import { readTopicsToEnd } from '../../services/audit/src/read-topics';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Admin, IHeaders, Kafka } from 'kafkajs';
import { benchCluster, benchLog as log } from '../bench-cluster';
import { SIPFLOW_PROCESS, sipflowDrainEnv } from '../sipflow-process';
import { drain } from '../e2e/drain';
import { writePeerAreaCodes } from '../e2e/peer-area-codes';
import { writePeerRules } from '../e2e/peer-rules';
import { prefill } from '../e2e/prefill';
import { buildStreamsPeer, streamsPeerEnv, type StreamsGuarantee } from '../e2e/streams-peer';
import { auditRun } from '../soak/audit';
import { craftedRecords } from './crafted-events';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    guarantee: { type: 'string', default: 'at_least_once' },
    threads: { type: 'string', default: '1' },
    partitions: { type: 'string', default: '3' },
    // only the bench's generated events
    'no-crafted': { type: 'boolean', default: false },
    // another stateless rules file without a jurisdiction profile; the bench's (peer-rules.ts) by default
    rules: { type: 'string' },
    // leave the topics for a look with other tools
    keep: { type: 'boolean', default: false },
  },
});
const events = Number(args.events);
const guarantee = args.guarantee as StreamsGuarantee;
if (guarantee !== 'at_least_once' && guarantee !== 'exactly_once_v2')
  throw new SipflowError(
    'SIPFLOW_BENCH_FAILED',
    `--guarantee ${args.guarantee}: expected at_least_once or exactly_once_v2`,
  );
const partitions = Number(args.partitions);
// the explanation may be worded differently: the peer names codes and causes by number
const IGNORED_FIELDS = new Set(['explanation']);
const EXAMPLES_PER_FIELD = 3;

/** One output record as read back: where it went and what it holds. */
type OutputRecord = {
  kind: OutputKind;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string[]>;
  /** decoded fields; the DLQ's value as hex, since it is the input's own bytes */
  value: Record<string, unknown>;
};

function headerValues(headers: IHeaders | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    out[name] = values.map((v) => (v === undefined ? '' : v.toString()));
  }
  return out;
}

/**
 * Reads the output topics but the ledger to their end offsets (read_committed), decoded. The reader's group
 * carries the run's prefix and is deleted after.
 */
async function readOutputs(kafka: Kafka, registry: SchemaRegistry, topics: Topics): Promise<OutputRecord[]> {
  const kindOf = outputKindsByTopic(topics);
  const decoders = new Map(
    RECORD_KINDS.map((k) => [k, new AvroDecoder<Record<string, unknown>>(registry, outputReaderType(k))]),
  );
  const records: OutputRecord[] = [];
  // the auditor's reader: every partition from the beginning to its end as the read starts
  const read = await readTopicsToEnd(
    kafka,
    // the ledger is sipflow's alone: the peer keeps none to compare it with
    outputTopics(topics).filter((t) => t !== topics.abandonment),
    async (topic, partition, messages) => {
      const kind = kindOf.get(topic)!;
      const decoder = kind === 'dlq' || kind === 'abandonment' ? undefined : decoders.get(kind);
      if (decoder) await decoder.prepare(messages.map((m) => m.value));
      for (const m of messages) {
        records.push({
          kind,
          partition,
          offset: m.offset,
          key: m.key === null ? null : m.key.toString(),
          headers: headerValues(m.headers),
          value: decoder
            ? { ...decoder.decode(m.value) }
            : { bytes: m.value === null ? null : m.value.toString('hex') },
        });
      }
    },
    { timeoutMs: 120_000 },
  );
  if (!read.complete)
    throw new SipflowError('SIPFLOW_BENCH_FAILED', `reading ${read.unfinished.join(', ')} timed out`);
  return records;
}

/** (kind, eventId); a dead letter by its source partition and offset (it may have no event id). */
function identity(r: OutputRecord): string {
  if (r.kind === 'dlq')
    return `dlq ${r.headers['sipflow-source-partition']?.[0]}/${r.headers['sipflow-source-offset']?.[0]}`;
  return `${r.kind} ${String(r.value.eventId)}`;
}

function byIdentity(records: OutputRecord[]): { map: Map<string, OutputRecord>; duplicates: string[] } {
  const map = new Map<string, OutputRecord>();
  const duplicates: string[] = [];
  for (const r of records) {
    const id = identity(r);
    if (map.has(id)) duplicates.push(id);
    map.set(id, r);
  }
  return { map, duplicates };
}

const show = (v: unknown): string => JSON.stringify(v) ?? 'undefined';

/** Every difference of one pair, as (what, sipflow's, the peer's). */
function differences(a: OutputRecord, b: OutputRecord): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  // a record without a key (a dead letter of a keyless input) goes to whichever partition the
  // producer picks: Kafka's sticky partitioner and kafkajs's pick differently, and neither is promised
  if (a.partition !== b.partition && (a.key !== null || b.key !== null))
    out.push(['(partition)', String(a.partition), String(b.partition)]);
  if (a.key !== b.key) out.push(['(key)', show(a.key), show(b.key)]);
  for (const name of new Set([...Object.keys(a.headers), ...Object.keys(b.headers)])) {
    // offsets of the same input are the same on both sides; the headers name them
    const [x, y] = [show(a.headers[name]), show(b.headers[name])];
    if (x !== y) out.push([`header ${name}`, x, y]);
  }
  for (const field of new Set([...Object.keys(a.value), ...Object.keys(b.value)])) {
    if (IGNORED_FIELDS.has(field)) continue;
    const [x, y] = [show(a.value[field]), show(b.value[field])];
    if (x !== y) out.push([field, x, y]);
  }
  return out;
}

function compare(sipflow: OutputRecord[], peer: OutputRecord[]): number {
  const s = byIdentity(sipflow);
  const p = byIdentity(peer);
  const problems = new Map<string, string[]>();
  const note = (what: string, example: string) => {
    const list = problems.get(what) ?? [];
    list.push(example);
    problems.set(what, list);
  };
  for (const id of s.duplicates) note('(duplicate in sipflow)', id);
  for (const id of p.duplicates) note('(duplicate in peer)', id);
  for (const [id, a] of s.map) {
    const b = p.map.get(id);
    if (!b) {
      note('(missing in peer)', id);
      continue;
    }
    for (const [what, x, y] of differences(a, b)) note(what, `${id}: sipflow ${x}, peer ${y}`);
  }
  for (const id of p.map.keys()) if (!s.map.has(id)) note('(only in peer)', id);

  const perKind = (rs: OutputRecord[]) =>
    OUTPUT_KINDS.map((k) => `${k} ${rs.filter((r) => r.kind === k).length}`).join(', ');
  log(`sipflow wrote ${sipflow.length} records (${perKind(sipflow)})`);
  log(`peer wrote    ${peer.length} records (${perKind(peer)})`);
  // what the input exercised, so a clean comparison can be told from one that covered little
  const enriched = sipflow.filter((r) => r.kind === 'enriched').map((r) => r.value);
  const tally = (values: unknown[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    return [...counts].map(([k, n]) => `${k} ${n}`).join(', ');
  };
  log(`  rules: ${tally(enriched.map((v) => v.ruleId))}`);
  log(`  jurisdiction: ${tally(enriched.map((v) => v.jurisdiction))}`);
  const set = (field: string) => enriched.filter((v) => v[field] !== null).length;
  log(
    `  set: retryMovedBy ${set('retryMovedBy')}, removalScope ${set('removalScope')}, doNotCall ${set('doNotCall')}, networkBlock ${set('networkBlock')}, reasonHeader ${set('reasonHeader')}, leadRegion ${set('leadRegion')}`,
  );
  let total = 0;
  for (const [what, examples] of [...problems].sort(([a], [b]) => (a < b ? -1 : 1))) {
    total += examples.length;
    log(`  ${what}: ${examples.length} differences`);
    for (const e of examples.slice(0, EXAMPLES_PER_FIELD)) log(`    ${e}`);
  }
  log(total === 0 ? 'no differences' : `${total} differences in ${problems.size} fields`);
  return total;
}

/**
 * Kafka Streams does not leave its group on close, so its member stays until the session times out
 * (45 s) and the group cannot be deleted before: try for a minute.
 */
async function deleteGroupOnceEmpty(admin: Admin, group: string): Promise<void> {
  for (let attempt = 0; attempt < 15; attempt++) {
    const deleted = await admin.deleteGroups([group]).then(
      () => true,
      () => false,
    );
    if (deleted) return;
    await new Promise((resolve) => setTimeout(resolve, 5000));
  }
  log(`  could not delete the consumer group ${group}`);
}

const { env, conn, kafka, registry, admin } = await benchCluster('peerchk');
const id = `peerchk-${Date.now().toString(36)}-${randomUUID().slice(0, 6)}`;
const created: string[] = [];
const groups: string[] = [];
/** the directories writePeerRules and writePeerAreaCodes made */
const temporary: string[] = [];
let failed = true;
try {
  const input = `${id}.raw`;
  await ensureTopics(admin, [{ topic: input, partitions, replicationFactor: 1 }]);
  created.push(input);
  log(`prefilling ${input} with ${events} events (seed 42)`);
  await prefill({ kafka, registry, topic: input, count: events, seed: 42 });
  let count = events;
  if (!args['no-crafted']) {
    const schema = await registerSchema<CallAttempt>(
      registry,
      `${input}-value`,
      readSchema('call-attempt.avsc'),
    );
    const crafted = craftedRecords(schema);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: input, messages: crafted, acks: -1 });
    await producer.disconnect();
    count += crafted.length;
    log(`added ${crafted.length} crafted records`);
  }

  const rulesFile = args.rules ?? writePeerRules();
  const areaCodesFile = writePeerAreaCodes();
  temporary.push(dirname(areaCodesFile), ...(args.rules === undefined ? [dirname(rulesFile)] : []));
  log('building the Kafka Streams peer');
  const java = buildStreamsPeer(log);
  const topicsOf = (name: string): Topics => ({
    ...prefixedTopics(topicsFromEnv({}), `${id}.${name}`),
    input,
  });
  const sipflowTopics = topicsOf('sipflow');
  const peerTopics = topicsOf('peer');
  for (const topics of [sipflowTopics, peerTopics]) {
    await provisionTopicsAndSchemas(conn, topics, { partitions, replicationFactor: 1 });
    created.push(...outputTopics(topics));
  }
  const sipflowGuarantee = guarantee === 'at_least_once' ? 'at_least_once' : 'exactly_once';
  groups.push(`${id}.sipflow`, `${id}.peer`);
  log(`running sipflow process (${sipflowGuarantee}) and the peer (${guarantee}) on ${count} records`);
  const common = { admin, inputTopic: input, count, brokerPid: undefined, timeoutMs: 600_000 };
  await Promise.all([
    drain({
      ...common,
      command: SIPFLOW_PROCESS,
      env: {
        ...sipflowDrainEnv({
          cluster: env,
          topics: sipflowTopics,
          group: `${id}.sipflow`,
          guarantee: sipflowGuarantee,
          workers: 1,
          rulesFile,
        }),
        KAFKA_CLIENT: 'kafkajs',
      },
      groupId: `${id}.sipflow`,
      outputTopics: outputTopics(sipflowTopics),
    }),
    drain({
      ...common,
      executable: 'java',
      command: java,
      env: {
        ...env,
        ...topicsToEnv(peerTopics),
        ...streamsPeerEnv({
          group: `${id}.peer`,
          guarantee,
          threads: Number(args.threads),
          rulesFile,
          areaCodesFile,
        }),
      },
      groupId: `${id}.peer`,
      outputTopics: outputTopics(peerTopics),
    }),
  ]);
  log('both consumed every input; reading their outputs');
  const sipflow = await readOutputs(kafka, registry, sipflowTopics);
  const peer = await readOutputs(kafka, registry, peerTopics);
  const different = compare(sipflow, peer);

  log("sipflow audit on the peer's topics");
  const audit = await auditRun({
    env: { ...env, ...topicsToEnv(peerTopics) },
    rulesFile,
    exactlyOnce: guarantee === 'exactly_once_v2',
    timeoutSeconds: 300,
  });
  log(
    `  audit: exit ${audit.exitCode}, ${audit.inputs} inputs, processed ${audit.processed}, dead-lettered ${audit.deadLettered}, lost ${audit.lost}, duplicated ${audit.duplicated}, wrong routing ${audit.wrongRouting}, orphans ${audit.orphans}`,
  );
  for (const f of audit.failures.slice(0, 5)) log(`    ${f}`);
  const auditOk = audit.exitCode === 0 && audit.lost === 0 && audit.wrongRouting === 0;
  failed = different > 0 || !auditOk;
} finally {
  if (!args.keep) {
    if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => undefined);
    for (const group of groups) await deleteGroupOnceEmpty(admin, group);
  } else log(`kept the topics: ${created.join(' ')}`);
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  await admin.disconnect();
}
process.exitCode = failed ? 1 : 0;
