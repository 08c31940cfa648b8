import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedTypesPath } from '../src/generated-path';
import { readSchemaFiles } from '../src/schema-files';
import { generateSchemaTypes } from '../src/schema-typegen';

describe('generated schema types', () => {
  it('match schemas/*.avsc (run `npm run gen:types` after changing a schema)', () => {
    expect(readFileSync(generatedTypesPath, 'utf8')).toBe(generateSchemaTypes(readSchemaFiles()));
  });

  it('document every field of every schema', () => {
    for (const { file, schema } of readSchemaFiles() as Array<{
      file: string;
      schema: { fields: Array<{ name: string; doc?: string }> };
    }>) {
      for (const field of schema.fields) expect(field.doc, `${file}: ${field.name}`).toBeTruthy();
    }
  });
});
