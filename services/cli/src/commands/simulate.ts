import { InvalidArgumentError, type Command } from 'commander';
import { connectionFromEnv, describeEnv, kafkaEnv } from '@sipflow/config';
import { createKafka, createRegistry } from '@sipflow/kafka';
import { runSimulator, type SimulatorStats } from '@sipflow/simulator';
import { runAction } from '../run-action';
import { handleStopSignals, lineReporter } from '../shutdown';
import { topicsEnv, topicsFromEnv } from '@sipflow/pipeline';

/** The batch in flight is acknowledged within the producer's request timeout. */
const STOP_TIMEOUT_MS = 30_000;

type SimulateFlags = {
  rate: number;
  duration?: number;
  count?: number;
  seed?: number;
  poisonRatio?: number;
  amd?: boolean;
  abandonment?: number | true;
  topic?: string;
};

const fmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('produce realistic call-attempt traffic (Avro, schema-registry framed) into the raw topic')
    .requiredOption('--rate <n>', 'events per second (at least 1)', parseNumber)
    .option('--duration <seconds>', 'stop after this many seconds (rate × duration events)', parseNumber)
    .option('--count <n>', 'stop after this many events', parseNumber)
    .option(
      '--seed <n>',
      'PRNG seed: the same seed gives the same events [default: random, printed at the end]',
      parseNumber,
    )
    .option(
      '--poison-ratio <r>',
      'share of deliberately bad records (0 to 1), to exercise the DLQ',
      parseNumber,
    )
    .option(
      '--amd',
      'report who answered each 2xx (answeredBy: HUMAN, MACHINE, FAX, UNKNOWN), as a dialer running answering-machine detection',
    )
    .option(
      '--abandonment [percent]',
      'report when each call rang, was answered and was connected to a representative, or abandoned, as a predictive dialer does: every campaign abandons 1 % of its person-answered calls, cmp-solar-leads drifts to this (default 4) over the first 20,000 events; with --amd, `sipflow abandonment recompute` shows its ledger',
      parseNumber,
    )
    .option('--topic <name>', 'topic to produce to [default: INPUT_TOPIC]')
    .addHelpText(
      'after',
      `
Without --duration or --count it runs until Ctrl-C. The topic must exist (\`npx sipflow setup\`).
Poison records are one of: bad-magic-byte, unknown-schema-id, truncated-avro, invalid-event.

Environment:
${describeEnv({ ...kafkaEnv, INPUT_TOPIC: topicsEnv.INPUT_TOPIC })}`,
    )
    .action(runAction(simulate));
}

async function simulate(flags: SimulateFlags): Promise<void> {
  const conn = connectionFromEnv();
  const topic = flags.topic ?? topicsFromEnv().input;
  // Ctrl-C stops producing, lets the batch in flight be acknowledged, then prints the stats
  const stop = handleStopSignals({ timeoutMs: STOP_TIMEOUT_MS, report: lineReporter('simulate') });
  try {
    const stats = await runSimulator({
      kafka: createKafka(conn),
      registry: createRegistry(conn),
      topic,
      rate: flags.rate,
      ...(flags.duration === undefined ? {} : { durationSeconds: flags.duration }),
      ...(flags.count === undefined ? {} : { count: flags.count }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      ...(flags.poisonRatio === undefined ? {} : { poisonRatio: flags.poisonRatio }),
      answeringMachineDetection: flags.amd === true,
      ...(flags.abandonment === undefined
        ? {}
        : { abandonmentDriftTo: (flags.abandonment === true ? 4 : flags.abandonment) / 100 }),
      signal: stop.signal,
      onProgress: (s) => process.stderr.write(`simulate: ${progress(s)}\n`),
    });
    process.stdout.write(
      `simulate: done, ${progress(stats)} to ${topic} in ${(stats.elapsedMs / 1000).toFixed(1)} s (seed ${stats.seed})\n`,
    );
  } finally {
    stop.finish();
  }
}

function progress(s: SimulatorStats): string {
  return `${fmt.format(s.produced)} events (${fmt.format(s.ratePerSec)}/s), ${fmt.format(s.poison)} poison`;
}

/** Range checks are the simulator's (one place); here only "is it a number". */
function parseNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number');
  return n;
}
