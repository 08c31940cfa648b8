import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ERROR_CATALOGUE, SipflowError } from '@sipflow/errors';
import { runAction } from '../src/run-action';

const BIN = fileURLToPath(new URL('../bin/sipflow.mjs', import.meta.url));
const help = (code: keyof typeof ERROR_CATALOGUE) => `  ${ERROR_CATALOGUE[code].help}\n`;

describe('runAction', () => {
  let stderr: string;
  beforeEach(() => {
    stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr += String(chunk);
      return true;
    });
    vi.stubEnv('SIPFLOW_DEBUG', '');
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    process.exitCode = undefined;
  });

  const fail = (err: unknown) =>
    runAction(() => {
      throw err;
    })();

  it('prints the code, the message and the help of a coded error, and exits with its status', async () => {
    await fail(new SipflowError('SIPFLOW_KAFKA_AUTH', 'Kafka at b:9093 refused the SASL credentials'));
    expect(stderr).toBe(
      'sipflow: SIPFLOW_KAFKA_AUTH: Kafka at b:9093 refused the SASL credentials\n' +
        help('SIPFLOW_KAFKA_AUTH'),
    );
    expect(process.exitCode).toBe(77);
  });

  it('reports an uncoded error as SIPFLOW_INTERNAL_ERROR, exit 70', async () => {
    await fail(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(stderr).toBe(
      "sipflow: SIPFLOW_INTERNAL_ERROR: Cannot read properties of undefined (reading 'x')\n" +
        help('SIPFLOW_INTERNAL_ERROR'),
    );
    expect(process.exitCode).toBe(70);
    await fail('a thrown string');
    expect(stderr).toContain('sipflow: SIPFLOW_INTERNAL_ERROR: a thrown string\n');
  });

  it("codes commander's InvalidArgumentError thrown inside an action as SIPFLOW_INVALID_OPTION, exit 64", async () => {
    await fail(new InvalidArgumentError('--resume continues the replay as it was started; drop --from'));
    expect(stderr).toMatch(/^sipflow: SIPFLOW_INVALID_OPTION: --resume continues/);
    expect(process.exitCode).toBe(64);
  });

  it('codes kafkajs giving up on every broker as SIPFLOW_KAFKA_UNAVAILABLE, exit 69', async () => {
    // shaped like kafkajs' errors (matched by name; libs/kafka's own test uses the real classes)
    const refused = Object.assign(new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092'), {
      name: 'KafkaJSConnectionError',
    });
    await fail(
      Object.assign(new Error(refused.message, { cause: refused }), {
        name: 'KafkaJSNumberOfRetriesExceeded',
      }),
    );
    expect(stderr).toBe(
      'sipflow: SIPFLOW_KAFKA_UNAVAILABLE: Kafka is unavailable: Connection error: connect ECONNREFUSED 127.0.0.1:9092\n' +
        help('SIPFLOW_KAFKA_UNAVAILABLE'),
    );
    expect(process.exitCode).toBe(69);
  });

  it('adds the stack trace with SIPFLOW_DEBUG=1', async () => {
    vi.stubEnv('SIPFLOW_DEBUG', '1');
    await fail(new SipflowError('SIPFLOW_STACK', 'java exited'));
    expect(stderr).toMatch(/^sipflow: SIPFLOW_STACK: java exited\n {2}.*\nSipflowError: java exited\n\s+at /);
  });

  it('leaves a successful action alone', async () => {
    await runAction(async () => undefined)();
    expect(stderr).toBe('');
    expect(process.exitCode).toBeUndefined();
  });
});

describe('a failing command, end to end', () => {
  it('prints one sipflow: line and the help, and exits 78 for an invalid setting', () => {
    const result = spawnSync(process.execPath, [BIN, 'stack', 'env'], {
      encoding: 'utf8',
      env: { ...process.env, SIPFLOW_STACK_BROKERS: '9', SIPFLOW_DEBUG: '' },
    });
    expect(result.status).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'sipflow: SIPFLOW_INVALID_CONFIG: invalid SIPFLOW_STACK_BROKERS="9": at most 5 Kafka nodes on one machine\n' +
        help('SIPFLOW_INVALID_CONFIG'),
    );
  });
});
