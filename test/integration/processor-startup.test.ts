import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { uniqueName } from '../support/cluster';
import { spawnProcessor, topicNames } from '../support/processor-harness';

describe('sipflow process, started on an input topic that does not exist', () => {
  // one process, and a primary with two workers: both must exit, with the config status (78,
  // EX_CONFIG), naming the topic and the variable, rather than hang or report a bug
  it.each(['1', '2'])(
    'exits 78 with the topic named (PROCESSOR_WORKERS=%s)',
    async (workers) => {
      const topics = topicNames(uniqueName('missing-input'));
      const child = spawnProcessor(topics, { PROCESSOR_WORKERS: workers, LOG_LEVEL: 'fatal' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
      const [code] = (await once(child, 'exit')) as [number | null];
      clearTimeout(timer);
      expect(child.output()).toContain(
        `SIPFLOW_INVALID_CONFIG: the input topic ${topics.input} (INPUT_TOPIC) does not exist on the brokers`,
      );
      expect(child.output()).not.toContain('UnhandledPromiseRejection');
      expect(code, child.output()).toBe(78);
    },
    60_000,
  );
});
