#!/usr/bin/env node
// The sources are TypeScript run through tsx (esbuild): no build step between an edit and a run.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
