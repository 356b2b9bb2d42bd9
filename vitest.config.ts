import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const alias = {
  '@': fileURLToPath(new URL('./', import.meta.url)),
  // Tests run lib/ outside React Server Components; the marker module is a no-op there.
  'server-only': fileURLToPath(new URL('./node_modules/server-only/empty.js', import.meta.url)),
};
const ignored = ['**/node_modules/**', '**/dist/**', '.next/**', 'e2e/**'];

// Two projects: unit tests need nothing running; integration tests talk to
// real brokers and a real DuckDB file (see lib/testing/brokers.ts for how a
// missing broker fails in CI and is skipped elsewhere).
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...ignored, '**/*.int.test.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: ignored,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // Two cores: integration files share brokers, run them one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
