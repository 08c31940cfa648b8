import type { Command } from 'commander';
import { describeEnv } from '@sipflow/config';
import { allProcessorEnv, processorConfigFromEnv } from '@sipflow/processor';
import { defaultRules, loadRules } from '@sipflow/rules';
import { createLogger } from '@sipflow/telemetry';
import { startProcessorRuntime } from '../processor-runtime';
import { runAction } from '../run-action';
import { onReloadSignal } from '../reload-signal';
import { handleStopSignals, loggerReporter } from '../shutdown';

export function registerProcessCommand(program: Command): void {
  program
    .command('process')
    .description('run the disposition processor: consume, classify, fan out (config from the environment)')
    .addHelpText('after', `\nEnvironment:\n${describeEnv(allProcessorEnv)}`)
    .action(
      runAction(async () => {
        const config = processorConfigFromEnv();
        const logger = createLogger({ level: config.logLevel, name: 'sipflow-processor' });
        const rules = config.rulesFile ? loadRules(config.rulesFile) : defaultRules();
        const { processor, http } = await startProcessorRuntime(config, rules, logger);
        const stop = handleStopSignals({
          timeoutMs: config.shutdownTimeoutMs,
          report: loggerReporter(logger),
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
