import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { Message, PartitionerArgs } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { groupMessagesPerPartition } from '../src/kafkajs-linear-grouping';

const require = createRequire(import.meta.url);
const repo = fileURLToPath(new URL('../../..', import.meta.url));

/** kafkajs 2.2.4's own groupMessagesPerPartition, evaluated from its file: the reference. */
const kafkajsGrouping = (() => {
  const source = readFileSync(require.resolve('kafkajs/src/producer/groupMessagesPerPartition'), 'utf8');
  const module = { exports: undefined as unknown };
  new Function('module', source)(module);
  return module.exports as typeof groupMessagesPerPartition;
})();

const partitionMetadata = (n: number) =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    partitionErrorCode: 0,
  }));

describe('groupMessagesPerPartition', () => {
  it("gives kafkajs' result: per partition, the messages in send order (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.nat(7), { maxLength: 300 }), fc.integer({ min: 0, max: 8 }), (placement, n) => {
        const messages: Message[] = placement.map((p, i) => ({ key: String(p), value: String(i) }));
        const partitioner = ({ message }: PartitionerArgs) => Number(message.key) % Math.max(n, 1);
        const args = { topic: 't', partitionMetadata: partitionMetadata(n), messages, partitioner };
        const ours = groupMessagesPerPartition(args);
        expect(ours).toEqual(kafkajsGrouping(args));
        expect(Object.keys(ours)).toEqual(Object.keys(kafkajsGrouping(args)));
      }),
      { numRuns: 300 },
    );
  });
});

/** The non-test sources that load kafkajs at run time (a value import, not `import type`). */
function kafkajsLoaders(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'node_modules') walk(path);
      } else if (
        path.endsWith('.ts') &&
        /^import (?!type )[^;]*from 'kafkajs';$/m.test(readFileSync(path, 'utf8'))
      )
        found.push(relative(repo, path));
    }
  };
  for (const top of ['libs', 'services'])
    for (const pkg of readdirSync(join(repo, top))) {
      const src = join(repo, top, pkg, 'src');
      if (statSync(join(repo, top, pkg)).isDirectory() && readdirSync(join(repo, top, pkg)).includes('src'))
        walk(src);
    }
  return found;
}

describe("kafkajs' producer loads with the linear grouping", () => {
  it('every source that loads kafkajs imports the patches before it', () => {
    const loaders = kafkajsLoaders();
    expect(loaders.length).toBeGreaterThan(3);
    const late = loaders.filter((file) => {
      const text = readFileSync(join(repo, file), 'utf8');
      const patches = text.search(/^import '(@sipflow\/kafka\/|\.\.?\/)kafkajs-patches';$/m);
      return patches < 0 || patches > text.search(/^import (?!type )[^;]*from 'kafkajs';$/m);
    });
    expect(late).toEqual([]);
  });

  it('in the sipflow CLI, with every command loaded', () => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./fixtures/linear-grouping-child.ts', import.meta.url))],
      {
        env: { ...process.env, ENTRY: join(repo, 'services/cli/src/main.ts') },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual({
      producerLoaded: true,
      grouping: 'groupMessagesPerPartition',
    });
  }, 40_000);
});
