import fs from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { getFlowGraph } from '@/lib/analytics/flows';
import { getJourney } from '@/lib/analytics/journeys';
import { getLatencyReport } from '@/lib/analytics/latency';
import { DuckDbStore } from '@/lib/store/duckdb-store';
import { unmasked } from '@/lib/masking/testing';

/**
 * Query latency over a store written by generate.ts: the dashboard's own
 * analytics functions (what /api/flows, /api/latency and /api/journeys run),
 * each repeated, reporting p50 and p95 in milliseconds.
 *
 *   node lib/store/testing/run-ts.mjs bench/queries/run.ts <file> [repetitions]
 */
function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

async function time(label: string, repetitions: number, run: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await run(i); // warm-up: caches and first reads
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const t0 = performance.now();
    await run(i);
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const row = { query: label, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
  console.log(
    `${label.padEnd(34)} p50 ${row.p50.toFixed(1).padStart(7)} ms   p95 ${row.p95.toFixed(1).padStart(7)} ms`,
  );
  return row;
}

export async function main(file: string, repetitionsArg = '30'): Promise<void> {
  const repetitions = Number(repetitionsArg);
  // Sample ids to look up: trace ids of first sends and message ids, spread over the data.
  const probe = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const c = await probe.connect();
  const ids = (
    await c.runAndReadAll(
      `SELECT s.trace_id, s.message_id, d.conversation_id
         FROM (SELECT * FROM messaging_spans WHERE message_id IS NOT NULL) s
         LEFT JOIN span_details d USING (trace_id, span_id)
        USING SAMPLE 200 ROWS`,
    )
  ).getRowObjectsJS();
  const [count] = (
    await c.runAndReadAll('SELECT count(*)::BIGINT AS n, max(start_us) AS last FROM messaging_spans')
  ).getRowObjectsJS();
  c.closeSync();
  probe.closeSync();
  const spans = Number(count!.n);
  // Windows end at the newest span, so "last hour" has data however long ago the file was generated.
  const toUs = Number(count!.last) + 1;
  const range = (hours: number) => ({ from: `${hours}h`, to: 'now', fromUs: toUs - hours * 3600e6, toUs });

  const store = await DuckDbStore.open(file, {
    queueMaxRows: 1000,
    memoryLimit: '4GB',
    retentionHours: 1e6,
    retentionMaxBytes: 0,
    maintenanceIntervalMs: 0,
  });
  console.log(
    `${spans} spans, ${(fs.statSync(file).size / 2 ** 30).toFixed(2)} GiB; ${repetitions} runs per query after 3 warm-ups`,
  );
  // The graph from telemetry alone, as with no RabbitMQ management API configured.
  const sources = { store, rabbitmqBindings: () => Promise.resolve({ topology: null, status: null }) };
  const results = [
    await time('flows, last 1 h', repetitions, () => getFlowGraph(sources, range(1))),
    await time('flows, last 24 h', repetitions, () => getFlowGraph(sources, range(24))),
    await time('e2e latency, last 1 h', repetitions, () => getLatencyReport(store, range(1), null)),
    await time('e2e latency, 24 h vs day before', repetitions, () =>
      getLatencyReport(store, range(24), { fromUs: toUs - 48 * 3600e6, toUs: toUs - 24 * 3600e6 }),
    ),
    await time('journey by trace id', repetitions, (i) =>
      getJourney(store, { traceId: ids[i % ids.length]!.trace_id as string }, unmasked),
    ),
    await time('journey by message id', repetitions, (i) =>
      getJourney(store, { messageId: ids[i % ids.length]!.message_id as string }, unmasked),
    ),
    await time('journey by conversation id', repetitions, (i) =>
      getJourney(store, { conversationId: ids[i % ids.length]!.conversation_id as string }, unmasked),
    ),
  ];
  await store.close();
  console.log(JSON.stringify({ spans, results }));
}
