// `npm run gen:types`: regenerates libs/codec/src/generated/schema-types.ts from schemas/*.avsc.
import { writeFileSync } from 'node:fs';
import { generateSchemaTypes } from '../libs/codec/src/schema-typegen';
import { readSchemaFiles } from '../libs/codec/src/schema-files';
import { generatedTypesPath } from '../libs/codec/src/generated-path';

writeFileSync(generatedTypesPath, generateSchemaTypes(readSchemaFiles()));
process.stdout.write(`wrote ${generatedTypesPath}\n`);
