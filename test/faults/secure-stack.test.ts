import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAttemptGenerator } from '@sipflow/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFaultTopics, startOwnStack, type OwnStack } from './support/cluster';
import { startLoad } from './support/load';
import { auditRun, killAllProcessors, spawnProcessor, waitCaughtUp } from './support/processes';

const LOAD_SEED = 71;

/** Every file under `dir`, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The passwords of the secure stack: what the clients were given and what the brokers use among themselves. */
function stackSecrets(stack: OwnStack): string[] {
  const home = stack.stackEnv.SIPFLOW_HOME!;
  const credentialsFile = filesUnder(join(home, 'data')).find((f) => f.endsWith('credentials.json'))!;
  const stored = JSON.parse(readFileSync(credentialsFile, 'utf8')) as {
    storePassword: string;
    interBroker: { password: string };
    client: { password: string };
    registry: { password: string };
  };
  return [
    stored.storePassword,
    stored.interBroker.password,
    stored.client.password,
    stored.registry.password,
    stack.env.KAFKA_SASL_PASSWORD!,
    stack.env.SCHEMA_REGISTRY_PASSWORD!,
  ];
}

/**
 * A stack whose broker takes only TLS + SASL/SCRAM and whose registry takes only basic auth
 * (`sipflow stack up --secure`): the processor works with the credentials the stack hands out,
 * stops at once with a clear error without them, and nothing it or the stack logs holds a
 * password or a full phone number.
 */
describe('secure stack: TLS + SASL/SCRAM broker, registry with basic auth', () => {
  let stack: OwnStack;
  const logDir = mkdtempSync(join(tmpdir(), 'sipflow-secure-logs-'));

  beforeAll(async () => {
    stack = await startOwnStack({ secure: true });
  }, 240_000);

  afterAll(async () => {
    await killAllProcessors();
    await stack?.destroy();
    rmSync(logDir, { recursive: true, force: true });
  }, 120_000);

  it('processes with the credentials, 0 lost; no secret and no full phone number in any log', async () => {
    expect(stack.env).toMatchObject({ KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: 'scram-sha-512' });
    const topics = await createFaultTopics(stack, 'secure');
    const load = await startLoad(stack, topics.input, { rate: 300, poisonRatio: 0.02, seed: LOAD_SEED });
    // debug: the most a processor ever logs is what must stay clean
    const processor = spawnProcessor(
      stack,
      topics,
      { LOG_LEVEL: 'debug' },
      { logFile: join(logDir, 'processor.log') },
    );
    await sleep(8000);
    const produced = (await load.stop()).produced;
    await waitCaughtUp(stack, topics, 90_000, () => processor.output());
    processor.kill('SIGTERM');
    expect((await processor.exited).code, processor.output()).toBe(0);

    const result = await auditRun('secure stack', stack, topics);
    expect(result.failures).toEqual([]);
    expect(result.lost).toBe(0);
    expect(result.capViolations, JSON.stringify(result.report.capViolationRecords.slice(0, 5))).toBe(0);
    expect(result.events).toBeGreaterThanOrEqual(produced);
    expect(result.dlq, 'the poison records reached the DLQ').toBeGreaterThan(0);

    // the same seed gives the same call attempts: these are the numbers the run carried
    const attempts = createAttemptGenerator({ seed: LOAD_SEED });
    const phoneNumbers = new Set(Array.from({ length: produced }, () => attempts.next().phoneNumber));
    const secrets = stackSecrets(stack);
    const logs = [join(logDir, 'processor.log'), ...filesUnder(join(stack.stackEnv.SIPFLOW_HOME!, 'logs'))];
    let scanned = 0;
    for (const file of logs) {
      const text = readFileSync(file, 'utf8');
      scanned += text.length;
      for (const secret of secrets) expect(text.includes(secret), `a password in ${file}`).toBe(false);
      for (const number of phoneNumbers) {
        expect(text.includes(number), `phone number ${number} in ${file}`).toBe(false);
      }
    }
    // a scan of empty logs would prove nothing: the whole run is there, and the stack's logs
    expect(readFileSync(join(logDir, 'processor.log'), 'utf8')).toMatch(
      /joined the consumer group[\s\S]*processor stopped/,
    );
    expect(logs.length).toBeGreaterThanOrEqual(3);
    expect(scanned).toBeGreaterThan(10_000);
  });

  const refusals: Array<[string, Record<string, string>, RegExp]> = [
    [
      'a wrong SASL password',
      { KAFKA_SASL_PASSWORD: 'not-the-password' },
      /refused the SASL credentials of user "sipflow".*KAFKA_SASL_PASSWORD/,
    ],
    [
      'no SASL credentials',
      { KAFKA_SASL_MECHANISM: '', KAFKA_SASL_USERNAME: '', KAFKA_SASL_PASSWORD: '' },
      /closed the connection during the handshake: the listener probably requires SASL/,
    ],
    [
      'no TLS',
      { KAFKA_SSL: 'false', KAFKA_SSL_CA_FILE: '' },
      /closed the connection during the handshake: the listener probably requires TLS/,
    ],
    [
      'the broker certificate not trusted',
      { KAFKA_SSL_CA_FILE: '' },
      /TLS to Kafka at .* failed \(\w+\): set KAFKA_SSL_CA_FILE/,
    ],
    [
      'no registry credentials',
      { SCHEMA_REGISTRY_USERNAME: '', SCHEMA_REGISTRY_PASSWORD: '' },
      /schema registry at .* requires authentication: set SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD \(HTTP 401\)/,
    ],
  ];

  it.each(refusals)('with %s it stops at once with a clear error, no retry loop', async (_, env, message) => {
    const topics = await createFaultTopics(stack, 'refused');
    const started = Date.now();
    const processor = spawnProcessor(stack, topics, env);
    const exit = await Promise.race([processor.exited, sleep(30_000).then(() => 'still running' as const)]);
    expect(exit, processor.output()).not.toBe('still running');
    // 77 (EX_NOPERM): SIPFLOW_KAFKA_AUTH and SIPFLOW_REGISTRY_AUTH (docs/errors.md)
    expect(exit !== 'still running' && exit.code, processor.output()).toBe(77);
    expect(Date.now() - started).toBeLessThan(30_000);
    const errorLines = processor
      .output()
      .split('\n')
      .filter((l) => l.startsWith('sipflow: '));
    expect(errorLines, processor.output()).toHaveLength(1);
    expect(errorLines[0]).toMatch(message);
    expect(errorLines[0]).toMatch(/^sipflow: SIPFLOW_(KAFKA|REGISTRY)_AUTH: /);
  });
});
