import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { DuckDBInstance } from '@duckdb/node-api';
import { decodeTraces, messagingSpansOf } from '@/lib/ingest/ingest-traces';
import { SPANS_PER_BATCH, batchForRound, buildBatches } from './workload';

/**
 * Ingest benchmark: sustained spans/s end to end (HTTP → decode → DuckDB) with
 * zero loss, beside the same server only decoding (the ceiling) and a plain
 * in-process decode loop. See README.md for how to run it and results.md.
 */
const root = path.resolve(import.meta.dirname, '../..');

function cpuSecondsOf(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks of 10 ms
}

async function startServer(mode: 'store' | 'decode', databasePath: string) {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      'lib/store/testing/run-ts.mjs',
      'bench/ingest/server.ts',
      mode,
      databasePath,
    ],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`server exited (${code})`)));
    readline
      .createInterface({ input: child.stdout })
      .once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.removeAllListeners('exit');
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return { port, pid: child.pid!, stop };
}

interface Load {
  acked: number;
  refused: number;
  failed: number;
}

/** Sends batches from `concurrency` workers until `until`; 429s are retried after Retry-After, as exporters do. */
/** Requests built so far, over every load phase: it numbers the passes over the batches. */
let posted = 0;

async function load(port: number, batches: Uint8Array[], concurrency: number, until: number, counter: Load) {
  const worker = async () => {
    while (Date.now() < until) {
      const n = posted++;
      // Every pass over the batches gets new trace ids: the store drops repeats (exporter retries).
      const body = batchForRound(batches[n % batches.length]!, Math.floor(n / batches.length));
      for (;;) {
        const response = await fetch(`http://127.0.0.1:${port}/v1/traces`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf' },
          body,
        }).catch(() => null);
        if (response?.status === 200) {
          await response.arrayBuffer();
          counter.acked += SPANS_PER_BATCH;
          break;
        }
        if (response?.status === 429) {
          await response.arrayBuffer();
          counter.refused++;
          await new Promise((r) => setTimeout(r, Number(response.headers.get('retry-after') ?? 1) * 1000));
          continue;
        }
        counter.failed++;
        break;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function measure(
  mode: 'store' | 'decode',
  batches: Uint8Array[],
  seconds: number,
  concurrency: number,
) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-bench-ingest-'));
  const databasePath = path.join(dir, 'bench.duckdb');
  const server = await startServer(mode, databasePath);
  const total: Load = { acked: 0, refused: 0, failed: 0 };
  await load(server.port, batches, concurrency, Date.now() + 5000, total); // warm-up
  const warm = { ...total };
  const cpu0 = cpuSecondsOf(server.pid);
  const client0 = process.cpuUsage();
  const t0 = Date.now();
  await load(server.port, batches, concurrency, t0 + seconds * 1000, total);
  const elapsed = (Date.now() - t0) / 1000;
  const cpu = cpuSecondsOf(server.pid) - cpu0;
  const client = process.cpuUsage(client0);
  await server.stop();
  let stored: number | null = null;
  if (mode === 'store') {
    const instance = await DuckDBInstance.create(databasePath);
    const connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll('SELECT count(*)::BIGINT AS n FROM messaging_spans')
    ).getRowObjectsJS();
    stored = Number(rows[0]!.n);
    connection.closeSync();
    instance.closeSync();
  }
  const bytes = fs.existsSync(databasePath) ? fs.statSync(databasePath).size : 0;
  fs.rmSync(dir, { recursive: true, force: true });
  return {
    mode,
    spansPerSecond: Math.round((total.acked - warm.acked) / elapsed),
    serverCores: Math.round((cpu / elapsed) * 100) / 100,
    // The load generator shares the two cores: what it used is what the server could not.
    clientCores: Math.round(((client.user + client.system) / 1e6 / elapsed) * 100) / 100,
    acked: total.acked,
    stored,
    refused429: total.refused,
    failed: total.failed,
    fileMiB: Math.round(bytes / 2 ** 20),
  };
}

function decodeOnly(batches: Uint8Array[], seconds: number) {
  let spans = 0;
  const until = Date.now() + seconds * 1000;
  const t0 = Date.now();
  for (let i = 0; Date.now() < until; i++)
    spans += messagingSpansOf(decodeTraces(batches[i % batches.length]!, 'protobuf')).length;
  return Math.round(spans / ((Date.now() - t0) / 1000));
}

/** Stages: `all` (decode loop, ceiling, store) or `store` alone (for A/B runs of the writer). */
export async function main(
  secondsArg = '60',
  concurrencyArg = '8',
  batchesArg = '200',
  stages: 'all' | 'store' = 'all',
): Promise<void> {
  const seconds = Number(secondsArg);
  const concurrency = Number(concurrencyArg);
  const batches = buildBatches(Number(batchesArg));
  const avgKiB = batches.reduce((n, b) => n + b.length, 0) / batches.length / 1024;
  console.log(
    `workload: ${batches.length} distinct batches × ${SPANS_PER_BATCH} spans, ${avgKiB.toFixed(0)} KiB each (protobuf)`,
  );
  if (stages === 'all') {
    console.log(`in-process decode + map (one core): ${decodeOnly(batches, 10)} spans/s`);
    const decode = await measure('decode', batches, Math.min(seconds, 20), concurrency);
    console.log('HTTP + decode (ceiling):', JSON.stringify(decode));
  }
  const store = await measure('store', batches, seconds, concurrency);
  console.log('HTTP + decode + DuckDB:', JSON.stringify(store));
  console.log(
    store.stored === store.acked
      ? 'zero loss: every acknowledged span is stored'
      : `LOSS: acked ${store.acked}, stored ${store.stored}`,
  );
}
