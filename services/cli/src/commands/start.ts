import type { Command } from 'commander';
import { createKafka, createRegistry, provisionTopicsAndSchemas } from '@sipflow/kafka';
import { processorConfigFromEnv } from '@sipflow/processor';
import { defaultRules, loadRules } from '@sipflow/rules';
import { runSimulator } from '@sipflow/simulator';
import { stackDown, stackStatus, stackUp } from '@sipflow/stack';
import { createLogger } from '@sipflow/telemetry';
import { createLiveSummary } from '../live-summary';
import { positiveInt } from '../options';
import { startProcessorRuntime } from '../processor-runtime';
import { runAction } from '../run-action';
import { handleStopSignals, lineReporter } from '../shutdown';

const say = (line: string) => process.stderr.write(`${line}\n`);
const clock = () => new Date().toISOString().slice(11, 19);

/**
 * `npm start`: the whole pipeline on the local stack, as a live demo — stack up, setup, the
 * processor, simulated dialer traffic, and a summary line every few seconds. Ctrl-C stops the
 * traffic, then the processor (batch finished and committed), then the stack if this run started it.
 */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'the main job on the local stack: stack up, setup, processor and simulated traffic, with a live summary',
    )
    .option('--rate <n>', 'simulated call attempts per second', positiveInt, 200)
    .option('--every <seconds>', 'seconds between summary lines', positiveInt, 5)
    .option('--keep-stack', 'leave Kafka and the registry running after Ctrl-C')
    .action(
      runAction(async (opts: { rate: number; every: number; keepStack?: boolean }) => {
        const started = Date.now();
        // RULES_FILE as `sipflow process` reads it, checked before anything starts: the demo runs
        // the rules an operator is trying out, and a bad file stops it with the file's error
        const rules = process.env.RULES_FILE ? loadRules(process.env.RULES_FILE) : defaultRules();
        const wasRunning = (await stackStatus()).every((c) => c.ready);
        const endpoints = await stackUp(say);
        // parsed once, with the stack's endpoints, and frozen: every part below uses this
        const config = processorConfigFromEnv({ ...process.env, ...endpoints.env });
        const { connection: conn, topics } = config;
        // a three-node stack (SIPFLOW_STACK_BROKERS=3) gets replicated topics, like production
        const replicationFactor = Math.min(3, endpoints.brokers.length);
        await provisionTopicsAndSchemas(conn, topics, {
          partitions: 3,
          replicationFactor,
          ...(replicationFactor > 1 ? { minInsyncReplicas: 2 } : {}),
        });
        say(`${clock()} topics and schemas ready`);

        // warnings and errors only: the summary line is the demo's output
        const logger = createLogger({ level: process.env.LOG_LEVEL ?? 'warn', name: 'sipflow-processor' });
        const { processor, http, registry } = await startProcessorRuntime(config, rules, logger);
        say(`${clock()} processor running; metrics on ${http.url}/metrics`);

        const traffic = new AbortController();
        const simulator = runSimulator({
          kafka: createKafka(conn, { clientId: 'sipflow-simulator' }),
          registry: createRegistry(conn),
          topic: topics.input,
          rate: opts.rate,
          // a dialer with answering-machine detection, one campaign drifting towards 4 % abandoned
          // calls: the summary's abandonment periods go from ok to warning to over within minutes
          answeringMachineDetection: true,
          abandonmentDriftTo: 0.04,
          signal: traffic.signal,
        });
        say(`${clock()} simulating ${opts.rate} call attempts/s into ${topics.input}; Ctrl-C to stop`);

        // when the first outputs were acknowledged, to the quarter second
        const firstOutput = setInterval(() => {
          const produced = registry.getSingleMetric('sipflow_records_produced_total');
          void produced?.get().then(({ values }) => {
            if (values.some((v) => v.value > 0)) {
              clearInterval(firstOutput);
              say(
                `${clock()} first outputs acknowledged ${((Date.now() - started) / 1000).toFixed(1)} s after start`,
              );
            }
          });
        }, 250);
        const summary = createLiveSummary(registry, topics.input);
        const ticker = setInterval(
          () => void summary().then((line) => say(`${clock()} ${line}`)),
          opts.every * 1000,
        );

        const stop = handleStopSignals({
          timeoutMs: config.shutdownTimeoutMs,
          report: lineReporter('start'),
        });
        await stop.received;
        say(
          `\n${clock()} stopping: traffic, then the processor${wasRunning || opts.keepStack ? '' : ', then the stack'}`,
        );
        clearInterval(ticker);
        clearInterval(firstOutput);
        traffic.abort();
        const stats = await simulator;
        await processor.stop();
        say(`${clock()} ${await summary()}`);
        await http.close();
        say(`${clock()} simulated ${stats.produced} events; processor stopped with its offsets committed`);
        if (!wasRunning && !opts.keepStack) await stackDown(say);
        stop.finish();
      }),
    );
}
