import { fileURLToPath } from 'node:url';

export const generatedTypesPath = fileURLToPath(new URL('./generated/schema-types.ts', import.meta.url));
