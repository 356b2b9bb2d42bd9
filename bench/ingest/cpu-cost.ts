import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeTraces, messagingSpansOf } from '@/lib/ingest/ingest-traces';
import type { MessagingSpan } from '@/lib/model/span';
import { DuckDbStore } from '@/lib/store/duckdb-store';
import { SPANS_PER_BATCH, buildBatches } from './workload';

/**
 * CPU cost per span of the ingest stages, in one process without HTTP: wall
 * clock is noisy on a shared machine, CPU time per span much less so.
 * - decode + map: protobuf body → MessagingSpans.
 * - store: plan + append + commit through DuckDbStore.appendSpans, 32 batches
 *   in flight like the HTTP benchmark (process CPU, so DuckDB's own threads
 *   count too).
 *
 * node lib/store/testing/run-ts.mjs bench/ingest/cpu-cost.ts [seconds per stage] [distinct batches]
 */
function cpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** CPU time of the main thread alone (Linux /proc; 10 ms ticks, fine over windows of seconds). */
function mainThreadCpuUs(): number {
  const fields = fs.readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

function decodeCost(batches: Uint8Array[], seconds: number): number[] {
  const costs: number[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    let spans = 0;
    const until = Date.now() + (seconds * 1000) / WINDOWS;
    const cpu0 = cpuUs();
    for (let i = 0; Date.now() < until; i++)
      spans += messagingSpansOf(decodeTraces(batches[i % batches.length]!, 'protobuf')).length;
    costs.push((cpuUs() - cpu0) / spans);
  }
  return costs;
}

async function storeCost(mapped: MessagingSpan[][], seconds: number, inFlight: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-bench-cpu-'));
  const store = await DuckDbStore.open(path.join(dir, 'cpu.duckdb'), {
    queueMaxRows: 1_000_000,
    memoryLimit: '2GB',
    retentionHours: 24 * 365,
    retentionMaxBytes: 0,
    maintenanceIntervalMs: 0,
  });
  let spans = 0;
  let next = 0;
  // The store drops spans it has just stored (exporter retries): every pass over the batches gets
  // new trace ids, rewritten in place (~0.1 µs/span, counted in the figures below).
  const original = mapped.map((batch) =>
    batch.map((s) => ({ trace: s.traceId, links: s.links.map((l) => l.traceId) })),
  );
  const forPass = (b: number, pass: number) => {
    const batch = mapped[b]!;
    batch.forEach((s, i) => {
      const o = original[b]![i]!;
      s.traceId = xorTraceId(o.trace, pass);
      s.links = s.links.map((l, j) => ({ ...l, traceId: xorTraceId(o.links[j]!, pass) }));
    });
    return batch;
  };
  const round = () =>
    Promise.all(
      Array.from({ length: inFlight }, () => {
        const n = next++;
        return store.appendSpans(forPass(n % mapped.length, Math.floor(n / mapped.length)));
      }),
    ).then(() => {
      spans += inFlight * SPANS_PER_BATCH;
    });
  await round(); // warm-up: appenders, dictionaries
  const windows: { cpuUsPerSpan: number; mainUsPerSpan: number; spansPerSecond: number }[] = [];
  for (let w = 0; w < WINDOWS; w++) {
    spans = 0;
    const until = Date.now() + (seconds * 1000) / WINDOWS;
    const cpu0 = cpuUs();
    const main0 = mainThreadCpuUs();
    const t0 = Date.now();
    while (Date.now() < until) await round();
    const elapsed = (Date.now() - t0) / 1000;
    windows.push({
      cpuUsPerSpan: (cpuUs() - cpu0) / spans,
      mainUsPerSpan: (mainThreadCpuUs() - main0) / spans,
      spansPerSecond: Math.round(spans / elapsed),
    });
  }
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
  return windows;
}

const xorTraceId = (id: string, pass: number) =>
  ((parseInt(id.slice(0, 8), 16) ^ pass) >>> 0).toString(16).padStart(8, '0') + id.slice(8);

/** Measured in a few windows: other work on the machine inflates some; the lowest is the cleanest. */
const WINDOWS = 3;
const summary = (costs: number[]) =>
  `min ${Math.min(...costs).toFixed(2)}, windows ${costs.map((c) => c.toFixed(2)).join(' / ')}`;

export async function main(secondsArg = '10', batchesArg = '200'): Promise<void> {
  const seconds = Number(secondsArg);
  const batches = buildBatches(Number(batchesArg));
  decodeCost(batches, 2); // warm-up (JIT)
  console.log(
    `decode + map: CPU µs/span (process, incl. GC threads): ${summary(decodeCost(batches, seconds))}`,
  );
  const mapped = batches.map((b) => messagingSpansOf(decodeTraces(b, 'protobuf')));
  const store = await storeCost(mapped, seconds, 32);
  console.log(
    `plan + append + commit: CPU µs/span (process, incl. DuckDB threads): ${summary(store.map((w) => w.cpuUsPerSpan))}; spans/s ${store.map((w) => w.spansPerSecond).join(' / ')}`,
  );
  console.log(
    `plan + append + commit: CPU µs/span on the main thread: ${summary(store.map((w) => w.mainUsPerSpan))}`,
  );
  console.log(
    `load average: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}
