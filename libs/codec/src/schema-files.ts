import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's schemas/ folder: the contract. */
export const schemasDir = resolve(fileURLToPath(new URL('../../../schemas', import.meta.url)));

export function readSchemaFiles(dir = schemasDir): Array<{ file: string; schema: never }> {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.avsc'))
    .sort()
    .map((file) => ({ file, schema: JSON.parse(readFileSync(join(dir, file), 'utf8')) as never }));
}

export function readSchema(file: string, dir = schemasDir): object {
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as object;
}
