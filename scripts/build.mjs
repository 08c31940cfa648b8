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
  // CommonJS dependencies bundled into ESM still call require() for Node built-ins. The import is
  // renamed: bundled ESM modules import createRequire themselves, and a second top-level
  // `createRequire` binding is a SyntaxError that stops the bundle from loading at all.
  banner: {
    js: "import { createRequire as bundleCreateRequire } from 'node:module'; const require = bundleCreateRequire(import.meta.url);",
  },
  logLevel: 'info',
});
