import { SipflowError } from '@sipflow/errors';
import { runKafkaTool } from '@sipflow/stack';

const log = (line: string) => process.stderr.write(`${line}\n`);

const runTool = (mainClass: string, args: string[]) => runKafkaTool(mainClass, args, { report: log });

/**
 * Apache Kafka's own ProducerPerformance: the broker's limit for records of this size and acks,
 * from a client that is not the bottleneck.
 */
export async function producerPerformance(opts: {
  brokers: string;
  topic: string;
  records: number;
  recordSize: number;
}) {
  const out = await runTool('org.apache.kafka.tools.ProducerPerformance', [
    '--topic',
    opts.topic,
    '--num-records',
    String(opts.records),
    '--record-size',
    String(opts.recordSize),
    '--throughput',
    '-1',
    '--producer-props',
    `bootstrap.servers=${opts.brokers}`,
    'acks=all',
    'linger.ms=5',
    'batch.size=262144',
  ]);
  // "2000000 records sent, 412345.6 records/sec (78.65 MB/sec), 12.3 ms avg latency, ..."
  const match =
    /(\d+) records sent, ([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency/.exec(out);
  if (!match)
    throw new SipflowError('SIPFLOW_STACK', `unexpected ProducerPerformance output:\n${out.slice(-1000)}`, {
      tool: 'org.apache.kafka.tools.ProducerPerformance',
    });
  return { recordsPerSec: Number(match[2]), mbPerSec: Number(match[3]), avgLatencyMs: Number(match[4]) };
}

/**
 * Apache Kafka's own ConsumerPerformance; `fetch.nMsg.sec` excludes the group join, which would
 * otherwise dominate a short run.
 */
export async function consumerPerformance(opts: { brokers: string; topic: string; records: number }) {
  const out = await runTool('org.apache.kafka.tools.ConsumerPerformance', [
    '--bootstrap-server',
    opts.brokers,
    '--topic',
    opts.topic,
    '--messages',
    String(opts.records),
    '--timeout',
    '60000',
  ]);
  const lines = out.trim().split('\n');
  const headerIndex = lines.findIndex((l) => l.includes('fetch.nMsg.sec'));
  if (headerIndex < 0 || !lines[headerIndex + 1])
    throw new SipflowError('SIPFLOW_STACK', `unexpected ConsumerPerformance output:\n${out.slice(-1000)}`, {
      tool: 'org.apache.kafka.tools.ConsumerPerformance',
    });
  const names = lines[headerIndex]!.split(',').map((s) => s.trim());
  const values = lines[headerIndex + 1]!.split(',').map((s) => s.trim());
  const field = (name: string) => Number(values[names.indexOf(name)]);
  return {
    recordsPerSec: field('fetch.nMsg.sec'),
    mbPerSec: field('fetch.MB.sec'),
    rebalanceMs: field('rebalance.time.ms'),
  };
}
