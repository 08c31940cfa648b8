import type { Command } from 'commander';
import { describeEnv } from '@sipflow/config';
import {
  allProcessorEnv,
  inputPartitionCount,
  isWorkerProcess,
  machineCpus,
  processorConfigFromEnv,
  resolveWorkerCount,
  type ProcessorConfig,
} from '@sipflow/processor';
import { defaultRules, loadRules } from '@sipflow/rules';
import { createLogger, type Logger } from '@sipflow/telemetry';
import { startProcessorRuntime } from '../processor-runtime';
import { runProcessorPrimary, runProcessorWorker } from '../processor-workers';
import { runAction } from '../run-action';
import { onReloadSignal } from '../reload-signal';
import { handleStopSignals, loggerReporter } from '../shutdown';

/** PROCESSOR_WORKERS resolved: `auto` from the cores and the input topic's partitions. */
async function workerCount(config: ProcessorConfig, logger: Logger): Promise<number> {
  if (config.workers === 1) return 1;
  const partitions = await inputPartitionCount(config);
  const cpus = machineCpus();
  if (config.workers === 'auto') {
    if (partitions === undefined)
      logger.warn(
        { cpus },
        'input partitions unknown at start; PROCESSOR_WORKERS=auto uses one worker per core',
      );
    return resolveWorkerCount('auto', { cpus, partitions: partitions ?? cpus });
  }
  if (partitions !== undefined && config.workers > partitions)
    logger.warn(
      { workers: config.workers, partitions },
      'more workers than input partitions: the extra ones are assigned nothing',
    );
  return config.workers;
}

export function registerProcessCommand(program: Command): void {
  program
    .command('process')
    .description('run the disposition processor: consume, classify, fan out (config from the environment)')
    .addHelpText('after', `\nEnvironment:\n${describeEnv(allProcessorEnv)}`)
    .action(
      runAction(async () => {
        const config = processorConfigFromEnv();
        const base = createLogger({ level: config.logLevel, name: 'sipflow-processor' });
        if (isWorkerProcess()) {
          const logger = base.child({ worker: config.workerIndex });
          const rules = config.rulesFile ? loadRules(config.rulesFile) : defaultRules();
          return runProcessorWorker(config, rules, logger);
        }
        // the rules are checked here too, so a bad file fails once, before any worker starts
        const rules = config.rulesFile ? loadRules(config.rulesFile) : defaultRules();
        const workers = await workerCount(config, base);
        if (workers > 1) return runProcessorPrimary(config, workers, base);

        const { processor, http } = await startProcessorRuntime(config, rules, base);
        const stop = handleStopSignals({
          timeoutMs: config.shutdownTimeoutMs,
          report: loggerReporter(base),
        });
        // the reloader logs and counts the outcome itself; a bad file never throws here
        const offReload = onReloadSignal(() => void processor.reloadRules());
        await stop.received;
        offReload();
        await processor.stop();
        await http.close();
        stop.finish();
      }),
    );
}
