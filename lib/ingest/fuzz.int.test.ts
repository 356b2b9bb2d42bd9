import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbStore } from '@/lib/store/duckdb-store';
import {
  metricsToJson,
  metricsToProtobuf,
  recordHop,
  recordMetrics,
  toJson,
  toProtobuf,
} from '@/lib/testing/otlp-fixtures';
import type { OtlpServer } from './otlp-server';
import { mutateJson, mutateProtobuf, prng } from './testing/mutations';
import { openListenerStore, startLoopbackListener } from './testing/listener';

// ≥ 10,000 malformed bodies (protobuf and JSON, traces and metrics, some
// gzip'd) over real HTTP against the real receiver and store: no crash, no
// 5xx, and the heap after a collection is back near where it started.
const SEED = 20261121;
const BODIES = 10_000;
const CONCURRENCY = 16;

v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-fuzz-'));
let store: DuckDbStore;
let server: OtlpServer;

beforeAll(async () => {
  store = await openListenerStore(path.join(dir, 'fuzz.duckdb'), 200_000);
  server = await startLoopbackListener(store, { maxBodyBytes: 1024 * 1024 });
});

afterAll(async () => {
  await server.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function validBodies() {
  const hops = [0, 1, 2].map((i) =>
    recordHop({
      system: 'kafka',
      destination: 'orders',
      producer: 'a',
      consumer: 'b',
      consumerGroup: 'g',
      sentAtMs: Date.now() - i,
      deliveryMs: 3,
      failed: i === 1,
    }),
  );
  const spans = hops.flatMap((h) => [...h.producer, ...h.consumer]);
  const recorder = recordMetrics('b', (meter) => {
    const attrs = { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' };
    meter.createHistogram('signalbox.messaging.edge.latency', { unit: 's' }).record(0.01, attrs);
    meter.createCounter('messaging.client.consumed.messages').add(2, attrs);
  });
  const metrics = await recorder.collect();
  await recorder.shutdown();
  return {
    traces: { protobuf: toProtobuf(spans), json: toJson(spans) },
    metrics: { protobuf: metricsToProtobuf(metrics), json: metricsToJson(metrics) },
  };
}

describe(`OTLP fuzzing (seed ${SEED})`, () => {
  it(`answers ${BODIES} malformed bodies with 4xx (or 200 when a mutation stays valid), never 5xx, in bounded memory`, async () => {
    const valid = await validBodies();
    const rand = prng(SEED);
    const statuses = new Map<number, number>();
    const fiveXx: string[] = [];
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let next = 0;
    const worker = async () => {
      while (next < BODIES) {
        const i = next++;
        const signal = i % 2 === 0 ? 'traces' : 'metrics';
        const protobuf = i % 4 < 2;
        let body: Uint8Array = protobuf
          ? mutateProtobuf(valid[signal].protobuf, rand)
          : Buffer.from(mutateJson(valid[signal].json, rand));
        const headers: Record<string, string> = {
          'content-type': protobuf ? 'application/x-protobuf' : 'application/json',
        };
        if (i % 10 === 0) {
          body = zlib.gzipSync(body);
          headers['content-encoding'] = 'gzip';
        } else if (i % 97 === 0) {
          headers['content-encoding'] = 'gzip'; // claims gzip, is not
        }
        const response = await fetch(`http://127.0.0.1:${server.port}/v1/${signal}`, {
          method: 'POST',
          headers,
          body: Buffer.from(body),
        });
        await response.arrayBuffer();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        if (response.status >= 500)
          fiveXx.push(`#${i} ${signal} ${protobuf ? 'protobuf' : 'json'} → ${response.status}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    console.log(
      `fuzz: ${BODIES} bodies, statuses ${JSON.stringify(Object.fromEntries(statuses))}, heap ${(heapBefore / 2 ** 20).toFixed(1)} → ${(heapAfter / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(fiveXx).toEqual([]);
    expect([...statuses.keys()].every((s) => [200, 400, 413, 415].includes(s))).toBe(true);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(BODIES / 2);
    expect(heapAfter - heapBefore).toBeLessThan(32 * 2 ** 20);
    // Still serving: a valid export is stored.
    const ok = await fetch(`http://127.0.0.1:${server.port}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: Buffer.from(valid.traces.protobuf),
    });
    expect(ok.status).toBe(200);
  });
});
