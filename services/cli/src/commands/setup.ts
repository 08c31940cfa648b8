import type { Command } from 'commander';
import { connectionFromEnv, describeEnv, kafkaEnv, parseEnv } from '@sipflow/config';
import { processorEnv } from '@sipflow/processor';
import { positiveInt } from '../options';
import { runAction } from '../run-action';
import { topicsEnv, topicsFromEnv } from '@sipflow/pipeline';
import { provisionTopicsAndSchemas } from '@sipflow/kafka';

/** What `sipflow setup` reads: the connection, the topics, and the group its state topics are named from. */
export const setupEnv = { ...kafkaEnv, ...topicsEnv, CONSUMER_GROUP: processorEnv.CONSUMER_GROUP };

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description('create the topics and register their schemas (BACKWARD compatibility); idempotent')
    .option('--partitions <n>', 'partitions per topic', positiveInt, 3)
    .option('--replication-factor <n>', 'replicas per partition', positiveInt, 1)
    .option(
      '--min-insync-replicas <n>',
      'min.insync.replicas of each topic (broker default when unset)',
      positiveInt,
    )
    .addHelpText('after', `\nEnvironment:\n${describeEnv(setupEnv)}`)
    .action(
      runAction(
        async (opts: { partitions: number; replicationFactor: number; minInsyncReplicas?: number }) => {
          // the processor's group names its per-number state topics (docs/state.md)
          const stateGroup = parseEnv(
            { CONSUMER_GROUP: processorEnv.CONSUMER_GROUP },
            process.env,
          ).CONSUMER_GROUP;
          const result = await provisionTopicsAndSchemas(connectionFromEnv(), topicsFromEnv(), {
            ...opts,
            stateGroup,
          });
          for (const t of result.topics) {
            process.stdout.write(
              `topic   ${t.topic.padEnd(30)} ${t.status.padEnd(8)} ${t.partitions} partitions\n`,
            );
            if (t.partitions < opts.partitions) {
              process.stderr.write(
                `warning: ${t.topic} has ${t.partitions} partitions, fewer than --partitions ${opts.partitions}; left as is (adding partitions re-maps lead keys)\n`,
              );
            }
          }
          for (const s of result.subjects)
            process.stdout.write(`schema  ${s.subject.padEnd(30)} id ${s.id}\n`);
        },
      ),
    );
}
