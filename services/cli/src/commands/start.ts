import type { Command } from 'commander';
import { stackUp } from '@sipflow/stack';
import { runAction } from '../run-action';

const report = (line: string) => process.stderr.write(`${line}\n`);

/** `npm start`: the main job on the local stack. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('bring up the local stack (Kafka + schema registry) and report it ready')
    .action(
      runAction(async () => {
        const started = Date.now();
        const endpoints = await stackUp(report);
        report(
          `sipflow: stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
            `KAFKA_BROKERS=${endpoints.brokers.join(',')} SCHEMA_REGISTRY_URL=${endpoints.registryUrl}`,
        );
        report('stop it with: npx sipflow stack down');
      }),
    );
}
