import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { toMessagingSpan } from '@/lib/ingest/messaging-span';
import type { HistogramPoint, NumberPoint } from '@/lib/model/metric';
import { decodedSpan, hopSpans } from '@/lib/store/testing/span-factory';
import { DuckDbStore, type DuckDbStoreOptions } from './duckdb-store';
import { readRows } from './queries/read-helpers';
import type { SeriesTotals } from './types';
import { QueueFullError } from './write-queue';

// A real DuckDB file per test; the store exactly as the dashboard runs it.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-store-'));
let n = 0;
const open: DuckDbStore[] = [];
const options: DuckDbStoreOptions = {
  queueMaxRows: 100_000,
  memoryLimit: '512MB',
  retentionHours: 24,
  retentionMaxBytes: 0,
  maintenanceIntervalMs: 0,
};

async function fresh(file = `s${n++}.duckdb`, over: Partial<DuckDbStoreOptions> = {}) {
  const store = await DuckDbStore.open(path.join(dir, file), { ...options, ...over });
  open.push(store);
  return { store, file };
}

async function reopen(store: DuckDbStore, file: string) {
  await store.close();
  open.splice(open.indexOf(store), 1);
  return (await fresh(file)).store;
}

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const NOW = Date.now() * 1000;
const WINDOW = { fromUs: NOW - 3600e6, toUs: NOW + 60e6 };
const find = (totals: SeriesTotals[], kind: string, source = 'spans') =>
  totals.filter((t) => t.dims.kind === kind && t.dims.source === source);

describe('DuckDbStore', () => {
  it('joins deliveries to sends whichever arrives first, and survives a restart in between', async () => {
    const { store, file } = await fresh();
    const hops = Array.from({ length: 20 }, (_, i) =>
      hopSpans({ sentUs: NOW - 600e6 + i * 1e6, deliveryUs: (i + 1) * 1000 }),
    );
    // Consumers' exporter flushed first: nothing to join yet.
    await store.appendSpans(hops.map((h) => h.process));
    expect((await store.stats()).pendingDeliveries).toBe(20);
    const restarted = await reopen(store, file);
    expect((await restarted.stats()).pendingDeliveries).toBe(20);
    await restarted.appendSpans(hops.map((h) => h.send));
    expect((await restarted.stats()).pendingDeliveries).toBe(0);

    const [delivery] = find(await restarted.seriesTotals(WINDOW), 'delivery');
    expect(delivery).toMatchObject({ messages: 20, latencyCount: 20, latencyMin: 0.001, latencyMax: 0.02 });
    const slowest = await restarted.slowestDeliveries(WINDOW, [delivery!.seriesId], 3);
    expect(slowest.map((d) => d.latencyUs)).toEqual([20_000, 19_000, 18_000]);
    expect(slowest[0]!.traceId).toBe(hops[19]!.process.traceId);
  });

  it('joins through the store when the send is older than the recent-sends cache (after a restart)', async () => {
    const { store, file } = await fresh();
    const hop = hopSpans({ sentUs: NOW - 300e6, deliveryUs: 7000 });
    await store.appendSpans([hop.send]);
    const restarted = await reopen(store, file);
    await restarted.appendSpans([hop.process]);
    const [delivery] = find(await restarted.seriesTotals(WINDOW), 'delivery');
    expect(delivery).toMatchObject({ latencyCount: 1, latencyMin: 0.007 });
  });

  it('counts a receive span’s whole batch and joins it to a send found only in the store', async () => {
    const { store, file } = await fresh();
    const { send } = hopSpans({ sentUs: NOW - 300e6, deliveryUs: 0 });
    await store.appendSpans([send]);
    const restarted = await reopen(store, file); // the recent-sends cache is gone: the join reads the store
    const poll = decodedSpan({
      service: 'ledger',
      name: 'poll orders',
      kind: 5,
      startTimeUs: send.startTimeUs + 9000,
      endTimeUs: send.startTimeUs + 12_000,
      links: [{ traceId: send.traceId, spanId: send.spanId }],
      statusCode: 2,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': 'orders',
        'messaging.operation.type': 'receive',
        'messaging.batch.message_count': 4,
      },
    });
    await restarted.appendSpans([toMessagingSpan(poll)!]);
    const totals = await restarted.seriesTotals(WINDOW);
    expect(find(totals, 'receive')).toMatchObject([
      {
        dims: { service: 'ledger', destination: 'orders', consumerGroup: null },
        messages: 4,
        errors: 4,
        latencyCount: 1,
        latencyMin: 0.009,
      },
    ]);
    // Receive spans feed their own series only: process-derived figures are untouched.
    expect(totals.filter((t) => t.dims.service === 'ledger').map((t) => t.dims.kind)).toEqual(['receive']);
    expect((await restarted.stats()).pendingDeliveries).toBe(0);
    // The edge's slowest messages list the receive span with its latency.
    const [receiveSeries] = find(totals, 'receive');
    const slowest = await restarted.slowestDeliveries(WINDOW, [receiveSeries!.seriesId], 3);
    expect(slowest).toMatchObject([{ traceId: poll.traceId, spanId: poll.spanId, latencyUs: 9000 }]);
  });

  it('refuses a file written by a newer Signalbox with what to do, and leaves it as it was', async () => {
    const { store, file } = await fresh();
    await store.appendSpans(Object.values(hopSpans({ sentUs: NOW - 60e6, deliveryUs: 5000 })));
    await store.close();
    open.splice(open.indexOf(store), 1);
    const instance = await DuckDBInstance.create(path.join(dir, file));
    const db = await instance.connect();
    await db.run(`UPDATE store_meta SET value = '99' WHERE key = 'schema_version'`);
    db.closeSync();
    instance.closeSync();

    await expect(DuckDbStore.open(path.join(dir, file), options)).rejects.toThrow(
      /schema version 99, written by a newer Signalbox.*SIGNALBOX_DATA_DIR/,
    );
    const again = await DuckDBInstance.create(path.join(dir, file));
    const check = await again.connect();
    const rows = await readRows(check, `SELECT count(*) AS n FROM messaging_spans`);
    expect(Number(rows[0]!.n)).toBe(2);
    check.closeSync();
    again.closeSync();
  });

  it('turns cumulative metrics into deltas across restarts (no double counting)', async () => {
    const { store, file } = await fresh();
    const start = NOW - 300e6;
    const counter = (value: number, timeUs: number): NumberPoint => ({
      metric: 'messaging.client.consumed.messages',
      unit: '{message}',
      resource: { 'service.name': 'billing' },
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' },
      startTimeUs: start,
      timeUs,
      type: 'sum',
      temporality: 'cumulative',
      monotonic: true,
      value,
    });
    expect(await store.appendMetrics([counter(10, start + 60e6)])).toEqual({ kept: 1 });
    const restarted = await reopen(store, file);
    await restarted.appendMetrics([counter(25, start + 120e6), counter(25, start + 120e6)]); // retried export
    expect(find(await restarted.seriesTotals(WINDOW), 'consumed', 'metrics')[0]?.messages).toBe(25);
  });

  it('keeps metric histograms exact and mergeable with the rollups', async () => {
    const { store } = await fresh();
    const point: HistogramPoint = {
      metric: 'signalbox.messaging.edge.latency',
      unit: 's',
      resource: { 'service.name': 'billing' },
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' },
      startTimeUs: NOW - 70e6,
      timeUs: NOW - 10e6,
      type: 'histogram',
      temporality: 'delta',
      count: 100,
      sum: 3,
      min: 0.001,
      max: 0.5,
      explicitBounds: [0.01, 0.1],
      bucketCounts: [90, 9, 1],
    };
    await store.appendMetrics([point, { ...point, metric: 'http.server.duration' }]);
    const [series] = find(await store.seriesTotals(WINDOW), 'delivery', 'metrics');
    expect(series).toMatchObject({ messages: 100, latencyCount: 100, latencyMax: 0.5 });
    expect(series!.buckets.reduce((a, b) => a + b.count, 0)).toBe(100);
  });

  it('compacts partial rollup rows without changing totals', async () => {
    const { store } = await fresh();
    const minuteAgo = Math.floor((NOW - 120e6) / 60e6) * 60e6;
    for (let i = 0; i < 10; i++) {
      const { send, process } = hopSpans({ sentUs: minuteAgo + i * 1000, deliveryUs: 5000 });
      await store.appendSpans([send, process]);
    }
    const before = await store.seriesTotals(WINDOW);
    const rows = async () =>
      (
        await readRows(
          (store as unknown as { writer: never }).writer,
          'SELECT count(*) AS n FROM series_minute',
        )
      )[0]!.n;
    expect(Number(await rows())).toBeGreaterThan(3);
    await store.maintain();
    expect(Number(await rows())).toBe(3); // publish, delivery and process series for that minute
    expect(await store.seriesTotals(WINDOW)).toEqual(before);
  });

  it('deletes by age, and by size down to the limit', async () => {
    const { store } = await fresh();
    const hops = Array.from({ length: 2000 }, (_, i) =>
      hopSpans({ sentUs: NOW - 7200e6 + i * 1e6, deliveryUs: 1000 }),
    );
    await store.appendSpans(hops.flatMap((h) => [h.send, h.process]));
    expect((await store.stats()).messagingSpans).toBe(4000);
    // Spans were sent from 2 h ago, one a second: move the clock so the first 1000 s are older than 24 h.
    await store.maintain(NOW + 24 * 3600e6 - 6200e6);
    const left = (await store.stats()).messagingSpans;
    expect(left).toBeGreaterThan(1900);
    expect(left).toBeLessThan(2100);

    const { store: small } = await fresh(undefined, { retentionMaxBytes: 1 });
    await small.appendSpans(hops.flatMap((h) => [h.send, h.process]));
    await small.maintain();
    expect((await small.stats()).messagingSpans).toBeLessThan(4000);
  });

  it('refuses batches beyond the queue bound instead of buffering them, and stores every accepted one', async () => {
    const { store } = await fresh(undefined, { queueMaxRows: 1000 });
    const batches = Array.from({ length: 20 }, (_, b) =>
      Array.from(
        { length: 400 },
        (_, i) => hopSpans({ sentUs: NOW - 60e6 + b * 1000 + i, deliveryUs: 10 }).send,
      ),
    );
    const results = await Promise.allSettled(batches.map((batch) => store.appendSpans(batch)));
    const accepted = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(r.reason).toBeInstanceOf(QueueFullError);
    expect((await store.stats()).messagingSpans).toBe(accepted * 400);
  });

  it('answers the same totals from hour rollups as from minutes, and finds spans by conversation id', async () => {
    const { store } = await fresh();
    const hourAgo = Math.floor((NOW - 3 * 3600e6) / 3600e6) * 3600e6;
    const hops = Array.from({ length: 120 }, (_, i) =>
      hopSpans({ sentUs: hourAgo + i * 60e6, deliveryUs: 1000 + i * 10, messageId: `m-${i}` }),
    );
    hops[7]!.process.conversationId = 'conv-7';
    await store.appendSpans(hops.flatMap((h) => [h.send, h.process]));
    const window = { fromUs: hourAgo, toUs: hourAgo + 2 * 3600e6 };
    const fromMinutes = await store.seriesTotals(window);
    await store.maintain(); // builds the two closed hours
    const fromHours = await store.seriesTotals(window);
    const byId = (list: SeriesTotals[]) => new Map(list.map((t) => [t.seriesId, t]));
    for (const [id, t] of byId(fromMinutes)) {
      const h = byId(fromHours).get(id)!;
      expect({ ...h, buckets: undefined, latencySum: 0 }).toEqual({
        ...t,
        buckets: undefined,
        latencySum: 0,
      });
      expect(h.latencySum).toBeCloseTo(t.latencySum, 9); // summed in another order
      expect(h.buckets.reduce((n, b) => n + b.count, 0)).toBe(t.buckets.reduce((n, b) => n + b.count, 0));
    }
    const [found] = await store.findSpans({ conversationIds: ['conv-7'] }, 10);
    expect(found).toMatchObject({
      spanId: hops[7]!.process.spanId,
      conversationId: 'conv-7',
      messageId: 'm-7',
    });
    expect(found!.links).toEqual([{ traceId: hops[7]!.send.traceId, spanId: hops[7]!.send.spanId }]);
  });
});
