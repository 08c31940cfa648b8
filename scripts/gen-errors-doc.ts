// `npm run gen:errors-doc`: regenerates docs/errors.md from the error catalogue in libs/errors/src.
import { writeFileSync } from 'node:fs';
import { errorsDocPath } from '../libs/errors/src/doc-path';
import { renderErrorsDoc } from '../libs/errors/src/render-doc';

writeFileSync(errorsDocPath, renderErrorsDoc());
process.stdout.write(`wrote ${errorsDocPath}\n`);
