import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { postTraces, producerBatch } from '@/lib/store/testing/producer-batch';
import { storedSpanIds } from '@/lib/store/testing/stored-span-ids';
import { freePort } from '@/lib/testing/free-port';

// SIGTERM during ingest: the runtime (store + OTLP listener, configured from
// the environment) runs in its own process; we post batches concurrently,
// note which were answered 2xx, send SIGTERM at a random moment, and check
// that the process exits cleanly and every acknowledged span is in the file.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-shutdown-'));
const SPANS_PER_BATCH = 200;
let child: ChildProcess | undefined;
let output = '';

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function startChild(otlpPort: number): Promise<void> {
  // Only what this test sets: no brokers, no address beyond loopback from the caller's shell.
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('SIGNALBOX_') || key === 'HOSTNAME') delete env[key];
  Object.assign(env, {
    SIGNALBOX_DATA_DIR: dir,
    SIGNALBOX_OTLP_PORT: String(otlpPort),
    SIGNALBOX_OTLP_HOST: '127.0.0.1',
  });
  const started = spawn(process.execPath, ['lib/store/testing/run-ts.mjs', 'lib/testing/runtime-child.ts'], {
    cwd: path.resolve(import.meta.dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    started.once('exit', (code) => reject(new Error(`runtime child exited early (${code}): ${output}`)));
    readline.createInterface({ input: started.stdout }).on('line', (line) => {
      output += `${line}\n`;
      if (line.startsWith('{"started"')) resolve();
    });
  });
}

describe('SIGTERM during ingest', () => {
  it('drains the write queue and closes the store: every acknowledged span is stored', async () => {
    const port = await freePort();
    await startChild(port);
    const acknowledged = new Set<string>();
    const refused: number[] = [];
    let sent = 0;
    const worker = async () => {
      for (;;) {
        const { body, spanIds } = producerBatch(sent++, SPANS_PER_BATCH);
        try {
          const response = await postTraces(port, body);
          if (response.ok) for (const id of spanIds) acknowledged.add(id);
          else refused.push(response.status);
          await response.arrayBuffer();
        } catch {
          return; // the listener is closed: nothing more can be acknowledged
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    while (acknowledged.size < 10 * SPANS_PER_BATCH) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, Math.random() * 300));
    child!.removeAllListeners('exit');
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child!.kill('SIGTERM');
    const code = await exited;
    await Promise.all(workers);

    expect(code, output).toBe(0);
    expect(output).toMatch(/SIGTERM: writing what was accepted/);
    // Anything refused while stopping was a retryable "shutting down", never a lost 2xx.
    for (const status of refused) expect(status).toBe(503);

    // The file opens without recovery work left over, and holds every acknowledged span.
    const stored = await storedSpanIds(path.join(dir, 'signalbox.duckdb'));
    const missing = [...acknowledged].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(acknowledged.size).toBeGreaterThanOrEqual(10 * SPANS_PER_BATCH);
  });
});
