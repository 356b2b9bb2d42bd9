import fs from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Bundles a TypeScript entry (with the `@/` alias) into one ESM file node can run, leaving packages
 * external. Node 20 cannot run TypeScript itself and no TS runner is installed; rolldown comes with vitest.
 */
export async function bundleForNode(entry: string): Promise<string> {
  // Inside node_modules/.cache so the bundle's bare imports resolve from the repo's node_modules.
  const dir = path.join(root, 'node_modules', '.cache', 'signalbox-dlq-tests');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${randomUUID()}.mjs`);
  await build({
    input: entry,
    platform: 'node',
    resolve: { alias: { '@': root.replace(/\/$/, '') } },
    external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@/'),
    output: { file, format: 'esm' },
    logLevel: 'silent',
  });
  return file;
}
