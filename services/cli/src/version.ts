// The version `sipflow --version` prints and sipflow_build_info carries: the CLI package's own.
// A JSON import, so that `npm run build` inlines it into the bundle (no package.json beside it there).
import cliPackage from '../package.json' with { type: 'json' };

export const SIPFLOW_VERSION: string = cliPackage.version;
