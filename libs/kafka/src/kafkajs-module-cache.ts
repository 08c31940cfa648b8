import Module, { createRequire } from 'node:module';
// the kafkajs release whose internals these patches were written against
import { KAFKAJS_ENCODING_VERSION } from './kafkajs-produce-encoder';

const require = createRequire(import.meta.url);

/**
 * Puts `exports` in Node's module cache as kafkajs' internal module `id` (a path inside the
 * package), so that kafkajs' `require` of it gets sipflow's version. kafkajs takes its internal
 * modules with `require` once, when the module that needs them (`loadedBy`) loads, so this only
 * works before that: the patches are imported before kafkajs by every module that loads it
 * (kafkajs-patches.ts). Returns false, and changes nothing, when `loadedBy` is already loaded, when
 * kafkajs is another release, or when it is not in node_modules (a bundle carries its own copy).
 */
export function preloadKafkajsModule(id: string, exports: unknown, loadedBy: string): boolean {
  try {
    const { version } = require('kafkajs/package.json') as { version: string };
    if (version !== KAFKAJS_ENCODING_VERSION) return false;
    const path = require.resolve(id);
    if (require.cache[path]?.exports === exports) return true;
    if (require.cache[require.resolve(loadedBy)] !== undefined) return false;
    const module = new Module(path);
    module.filename = path;
    module.loaded = true;
    module.exports = exports;
    require.cache[path] = module;
    return true;
  } catch {
    return false;
  }
}
