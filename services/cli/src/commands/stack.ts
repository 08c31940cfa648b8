import type { Command } from 'commander';
import { stackDown, stackEnv, stackStatus, stackUp } from '@sipflow/stack';
import { runAction } from '../run-action';

const report = (line: string) => process.stderr.write(`${line}\n`);

export function registerStackCommands(program: Command): void {
  const stack = program
    .command('stack')
    .description('the local Kafka (KRaft) + schema registry, installed from Maven and run as processes')
    .addHelpText(
      'after',
      `
Environment:
  KAFKA_BROKERS, SCHEMA_REGISTRY_URL   both set: use that cluster, start nothing
  SIPFLOW_KAFKA_PORT (9092), SIPFLOW_KAFKA_CONTROLLER_PORT (9093), SIPFLOW_REGISTRY_PORT (8081)
  SIPFLOW_KAFKA_HEAP (1g), SIPFLOW_REGISTRY_HEAP (384m)
  SIPFLOW_STACK_TIMEOUT_SECONDS (120)  how long to wait for each server to be ready
  SIPFLOW_HOME (<repo>/.sipflow)        caches, data, logs and pid files
  SIPFLOW_JAVA (java), SIPFLOW_MVN (mvn)`,
    );

  stack
    .command('up')
    .description('install (first run) and start Kafka and the schema registry; returns when both are ready')
    .action(
      runAction(async () => {
        const started = Date.now();
        const endpoints = await stackUp(report);
        report(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        printEnv(endpoints);
      }),
    );

  stack
    .command('down')
    .description('stop the local Kafka and schema registry (data is kept)')
    .action(runAction(() => stackDown(report)));

  stack
    .command('status')
    .description('what runs, and whether it answers')
    .action(
      runAction(async () => {
        const rows = await stackStatus();
        for (const row of rows) {
          const proc = row.pid ? `pid ${row.pid}` : 'no local process';
          process.stdout.write(
            `${row.name.padEnd(9)} ${row.ready ? 'ready  ' : 'down   '} ${row.endpoint} (${proc})\n`,
          );
        }
        if (!rows.every((r) => r.ready)) process.exitCode = 1;
      }),
    );

  stack
    .command('env')
    .description('print KAFKA_BROKERS=... and SCHEMA_REGISTRY_URL=... lines (eval-able)')
    .action(runAction(async () => printEnv(stackEnv())));
}

function printEnv(endpoints: { brokers: string[]; registryUrl: string }): void {
  process.stdout.write(
    `KAFKA_BROKERS=${endpoints.brokers.join(',')}\nSCHEMA_REGISTRY_URL=${endpoints.registryUrl}\n`,
  );
}
