// Runs a TypeScript module of this repo in a plain Node process (for tests
// that need a separate process, e.g. to kill -9 it): Vite's module runner
// transpiles it with the same `@/` alias the app and Vitest use, then this
// calls its exported `main(...args)`.
// Usage: node lib/store/testing/run-ts.mjs <module.ts> [args...]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runnerImport } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const [entry, ...args] = process.argv.slice(2);
const { module } = await runnerImport(path.resolve(root, entry), {
  configFile: false,
  root,
  logLevel: 'error',
  resolve: {
    alias: {
      '@': root,
      'server-only': path.join(root, 'node_modules/server-only/empty.js'),
    },
  },
});
await module.main(...args);
