import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorsDocPath } from '../src/doc-path';
import { ERROR_CATALOGUE, SIPFLOW_ERROR_CODES } from '../src/index';
import { renderErrorsDoc } from '../src/render-doc';

describe('docs/errors.md', () => {
  it('is what the catalogue renders', () => {
    const onDisk = readFileSync(errorsDocPath, 'utf8');
    // toBe's diff shows the stale lines; the message says how to fix it
    expect(onDisk, 'docs/errors.md is out of date: run `npm run gen:errors-doc`').toBe(renderErrorsDoc());
  });

  it('lists every code with its exit status and help', () => {
    const doc = renderErrorsDoc();
    for (const code of SIPFLOW_ERROR_CODES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` `));
      expect(row, code).toBeDefined();
      expect(row).toContain(` ${ERROR_CATALOGUE[code].exitStatus} `);
      expect(row).toContain(ERROR_CATALOGUE[code].help);
    }
  });
});
