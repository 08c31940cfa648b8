import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSipflowError, type SipflowError } from '@sipflow/errors';
import { externalEndpoints, stackOptionsFromEnv } from '../src/index';
import { assertPortsFree } from '../src/ports';
import { runLogged } from '../src/processes';
import { waitUntil } from '../src/wait';

async function thrownBy(run: () => unknown): Promise<SipflowError> {
  try {
    await run();
  } catch (err) {
    if (isSipflowError(err)) return err;
    throw err;
  }
  throw new Error('expected a SipflowError');
}

describe('local-stack failures carry a code', () => {
  it('an invalid setting is SIPFLOW_INVALID_CONFIG, naming the variable', async () => {
    const err = await thrownBy(() => stackOptionsFromEnv({ SIPFLOW_KAFKA_PORT: '80' }));
    expect(err).toMatchObject({
      code: 'SIPFLOW_INVALID_CONFIG',
      details: { variable: 'SIPFLOW_KAFKA_PORT' },
    });
    expect(err.message).toMatch(/^invalid SIPFLOW_KAFKA_PORT="80": /);
  });

  it('half an external cluster is SIPFLOW_INVALID_CONFIG', async () => {
    const err = await thrownBy(() => externalEndpoints({ KAFKA_BROKERS: 'b:9092' }));
    expect(err).toMatchObject({
      code: 'SIPFLOW_INVALID_CONFIG',
      details: { variable: 'SCHEMA_REGISTRY_URL' },
    });
  });

  it('a program that is not there is SIPFLOW_STACK, naming it', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'sipflow-stack-')), 'run.log');
    const err = await thrownBy(() => runLogged('sipflow-no-such-program', [], log));
    expect(err).toMatchObject({ code: 'SIPFLOW_STACK', details: { command: 'sipflow-no-such-program' } });
    expect(err.message).toMatch(
      /^could not run sipflow-no-such-program: spawn sipflow-no-such-program ENOENT/,
    );
  });

  it('a port in use is SIPFLOW_STACK, naming the variable to change', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const err = await thrownBy(() => assertPortsFree([{ port, variable: 'SIPFLOW_REGISTRY_PORT' }]));
      expect(err).toMatchObject({
        code: 'SIPFLOW_STACK',
        details: { port, variable: 'SIPFLOW_REGISTRY_PORT' },
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('a server that never answers is unavailable (retryable); one that died is SIPFLOW_STACK', async () => {
    const never = { what: 'Kafka on 127.0.0.1:1', probe: async () => false, timeoutMs: 50 } as const;
    const timedOut = await thrownBy(() => waitUntil({ ...never, unavailable: 'SIPFLOW_KAFKA_UNAVAILABLE' }));
    expect(timedOut.code).toBe('SIPFLOW_KAFKA_UNAVAILABLE');
    expect(timedOut.message).toContain('raise SIPFLOW_STACK_TIMEOUT_SECONDS');
    const died = await thrownBy(() =>
      waitUntil({ ...never, unavailable: 'SIPFLOW_REGISTRY_UNAVAILABLE', stillRunning: () => false }),
    );
    expect(died.code).toBe('SIPFLOW_STACK');
  });
});
