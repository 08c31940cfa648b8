import { fileURLToPath } from 'node:url';

/** docs/errors.md, which `npm run gen:errors-doc` writes and the drift test reads. */
export const errorsDocPath = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));
