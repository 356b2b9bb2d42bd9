// Bundles replay.ts (TypeScript with the @/ alias; Node 20 cannot run it directly) with rolldown,
// which comes with vitest, and runs it. Arguments are passed through: [messages] [repetitions].
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'rolldown';

const root = path.resolve(import.meta.dirname, '../..');
const out = path.join(root, 'node_modules', '.cache', 'signalbox-bench', 'replay.mjs');
fs.mkdirSync(path.dirname(out), { recursive: true });
await build({
  input: path.join(import.meta.dirname, 'replay.ts'),
  platform: 'node',
  resolve: { alias: { '@': root } },
  external: (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('@/'),
  output: { file: out, format: 'esm' },
  logLevel: 'silent',
});
const result = spawnSync(process.execPath, [out, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(result.status ?? 1);
