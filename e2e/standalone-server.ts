import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/*
 * The standalone server straight from the build output (.next/standalone,
 * which `npm test` builds before e2e), started as the Dockerfile starts it
 * (scripts/serve.mjs beside server.js), with only the settings a test gives:
 * no SIGNALBOX_* key of the shell leaks in.
 */
const server = path.resolve('.next/standalone/serve.mjs');

export interface StandaloneServer {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Everything it printed so far. */
  output: () => string;
}

export function startStandalone(env: Record<string, string>): StandaloneServer {
  fs.copyFileSync(path.resolve('scripts/serve.mjs'), server);
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(base)) if (key.startsWith('SIGNALBOX_') || key === 'PORT') delete base[key];
  const child = spawn(process.execPath, [server], {
    env: {
      ...base,
      NODE_ENV: 'production',
      NEXT_MANUAL_SIG_HANDLE: 'true',
      NEXT_TELEMETRY_DISABLED: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => printed };
}
