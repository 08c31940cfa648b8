import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));

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

describe("sipflow's kafkajs modules are the ones kafkajs loads", () => {
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
      ['--import', 'tsx', fileURLToPath(new URL('./fixtures/kafkajs-patches-child.ts', import.meta.url))],
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
      recordDecoder: 'decodeRecord',
    });
  }, 40_000);
});
