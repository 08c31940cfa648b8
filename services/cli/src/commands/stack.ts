import type { Command } from 'commander';
import { stackDown, stackEnv, stackStatus, stackUp } from '@sipflow/stack';
import { positiveInt } from '../options';
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
  SIPFLOW_STACK_BROKERS (1), SIPFLOW_STACK_SECURE (false)   what --brokers and --secure set
  SIPFLOW_STACK_TIMEOUT_SECONDS (120)  how long to wait for each server to be ready
  SIPFLOW_HOME (<repo>/.sipflow)        caches, data, logs and pid files
  SIPFLOW_JAVA (java), SIPFLOW_MVN (mvn)

With --brokers N, node n listens on SIPFLOW_KAFKA_PORT + 10(n-1) (9092, 9102, 9112) and its
controller on SIPFLOW_KAFKA_CONTROLLER_PORT + 10(n-1). down, status and env act on the layout
that up started.`,
    );

  stack
    .command('up')
    .description('install (first run) and start Kafka and the schema registry; returns when both are ready')
    .option(
      '--brokers <n>',
      'Kafka nodes (3: a replicated KRaft cluster, internal topics with min.insync.replicas=2)',
      positiveInt,
    )
    .option('--secure', 'TLS + SASL/SCRAM-SHA-512 for Kafka clients, basic auth for the registry')
    .action(
      runAction(async (opts: { brokers?: number; secure?: boolean }) => {
        const started = Date.now();
        const env = {
          ...process.env,
          ...(opts.brokers !== undefined ? { SIPFLOW_STACK_BROKERS: String(opts.brokers) } : {}),
          ...(opts.secure ? { SIPFLOW_STACK_SECURE: 'true' } : {}),
        };
        const endpoints = await stackUp(report, env);
        report(`stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        printEnv(endpoints.env, { hideSecrets: true });
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
    .description(
      'print the variables that reach the stack, credentials of a secure one included (eval-able: export the lines)',
    )
    .action(runAction(async () => printEnv(stackEnv().env, { hideSecrets: false })));
}

const SECRET = /PASSWORD$/;

/**
 * `up` prints what to connect to but leaves passwords out (its output ends up in terminals and CI
 * logs); `env` prints everything, for `set -a; eval "$(sipflow stack env)"`.
 */
function printEnv(env: Record<string, string>, opts: { hideSecrets: boolean }): void {
  const lines = Object.entries(env)
    .filter(([name]) => !(opts.hideSecrets && SECRET.test(name)))
    .map(([name, value]) => `${name}=${value}`);
  if (opts.hideSecrets && Object.keys(env).some((n) => SECRET.test(n))) {
    lines.push('# passwords left out: `sipflow stack env` prints them');
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
