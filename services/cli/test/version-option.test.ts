import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/sipflow.mjs', import.meta.url));
const CLI_PACKAGE = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('sipflow --version', () => {
  it.each(['--version', '-V'])('%s prints the package version alone on one line, exit 0', (flag) => {
    const run = spawnSync(process.execPath, [BIN, flag], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    // what a script parses: `v=$(sipflow --version)`
    expect(run.stdout).toBe(`${CLI_PACKAGE.version}\n`);
  });
});
