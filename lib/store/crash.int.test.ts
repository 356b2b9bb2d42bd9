import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from './duckdb-store';
import { postTraces, producerBatch } from './testing/producer-batch';
import { storedSpanIds } from './testing/stored-span-ids';

// kill -9 during ingest: a separate process runs the real receiver and store
// on a temp DuckDB file; we post batches concurrently, note which were
// answered 2xx, kill it at a random moment, reopen the file and check that
// every acknowledged span is there (and that rollups agree with raw rows).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-crash-'));
const databasePath = path.join(dir, 'crash.duckdb');
const SPANS_PER_BATCH = 250;
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

function startChild(): Promise<number> {
  child = spawn(
    process.execPath,
    ['lib/store/testing/run-ts.mjs', 'lib/store/testing/ingest-child.ts', databasePath],
    {
      cwd: path.resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    child!.once('exit', (code) => reject(new Error(`ingest child exited early (${code})`)));
    readline
      .createInterface({ input: child!.stdout! })
      .once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
}

describe('kill -9 during ingest', () => {
  it('reopens cleanly with every acknowledged batch present', async () => {
    const port = await startChild();
    const acknowledged = new Set<string>();
    let sent = 0;
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const { body, spanIds } = producerBatch(sent++, SPANS_PER_BATCH);
        try {
          const response = await postTraces(port, body);
          if (response.status === 200) for (const id of spanIds) acknowledged.add(id);
        } catch {
          return; // the process is gone: whatever was in flight was never acknowledged
        }
      }
    };
    const workers = Array.from({ length: 4 }, worker);
    // Kill at a random moment once ingest is well under way.
    while (acknowledged.size < 20 * SPANS_PER_BATCH) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, Math.random() * 400));
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child!.kill('SIGKILL');
    await exited;
    stop = true;
    await Promise.all(workers);
    expect(sent * SPANS_PER_BATCH).toBeGreaterThan(acknowledged.size); // some batches were cut mid-flight

    // The store opens the file as the dashboard would after a crash (WAL replay, state reload).
    const reopened = await DuckDbStore.open(databasePath, {
      queueMaxRows: 1000,
      memoryLimit: '512MB',
      retentionHours: 24 * 365,
      retentionMaxBytes: 0,
      maintenanceIntervalMs: 0,
    });
    const stats = await reopened.stats();
    const totals = await reopened.seriesTotals({ fromUs: 0, toUs: Date.now() * 1000 + 60e6 });
    await reopened.close();

    const stored = await storedSpanIds(databasePath);

    const missing = [...acknowledged].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect(stats.messagingSpans).toBe(stored.size);
    // Rollups are written in the same transaction as the raw rows: they cannot disagree.
    const published = totals.filter((t) => t.dims.kind === 'publish').reduce((n, t) => n + t.messages, 0);
    expect(published).toBe(stored.size);
  });
});
