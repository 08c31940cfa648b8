// `npm run build`: the CLI and everything it imports bundled into dist/sipflow.mjs, runnable with
// plain `node` (no tsx) — what a container image or a deployment ships.
import { build } from 'esbuild';

await build({
  entryPoints: ['services/cli/src/main.ts'],
  outfile: 'dist/sipflow.mjs',
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  sourcemap: true,
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  logLevel: 'info',
});
