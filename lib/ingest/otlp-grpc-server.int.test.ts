import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { SpanKind } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DuckDbStore } from '@/lib/store/duckdb-store';
import { recordMetrics, recordSpans, toProtobuf } from '@/lib/testing/otlp-fixtures';
import { ingestStats } from './ingest-stats';
import { startOtlpGrpcServer } from './otlp-grpc-server';
import type { OtlpServer } from './otlp-server';
import { openListenerStore } from './testing/listener';

// The OTLP/gRPC listener (what runs on :4317) on a real store, fed by the OpenTelemetry JS gRPC
// exporters (written elsewhere, gzip on) and by a plain grpc-js client for what those exporters
// cannot be made to send: garbage, oversized messages, a flood that fills the write queue.
const TOKEN = 'a-long-enough-test-token-0123456789';
const TRACES = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-grpc-'));
let store: DuckDbStore;
let server: OtlpServer;
let address: string;

// google/rpc/status.proto and error_details.proto as googleapis publishes them, written out here
// on their own rather than taken from the receiver, so the trailer is checked against the contract.
const googleRpc = protobuf.parse(
  `
  syntax = "proto3";
  message Any { string type_url = 1; bytes value = 2; }
  message Duration { int64 seconds = 1; int32 nanos = 2; }
  message Status { int32 code = 1; string message = 2; repeated Any details = 3; }
  message RetryInfo { Duration retry_delay = 1; }
`,
  { keepCase: true },
).root;

beforeAll(async () => {
  store = await openListenerStore(path.join(dir, 'grpc.duckdb'), 1000);
  const started = await startOtlpGrpcServer({
    store: () => Promise.resolve(store),
    maxBodyBytes: 4 * 1024 * 1024,
    maxInflightBytes: 64 * 1024 * 1024,
    token: TOKEN,
    host: '127.0.0.1',
    port: 0,
  });
  if (!started) throw new Error('could not listen');
  server = started;
  address = `127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function sendSpans(n: number) {
  return recordSpans('checkout', (tracer) => {
    for (let i = 0; i < n; i++)
      tracer
        .startSpan('send orders', {
          kind: SpanKind.PRODUCER,
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' },
        })
        .end();
  });
}

const withToken = (token = TOKEN) => {
  const metadata = new grpc.Metadata();
  metadata.set('authorization', `Bearer ${token}`);
  return metadata;
};

/** What an exporter's export() reports: its code, and the gRPC status of a failure. */
function exported<T>(
  exporter: { export(items: T, done: (r: { code: number; error?: Error }) => void): void },
  items: T,
) {
  return new Promise<{ code: number; grpcCode?: number }>((resolve) =>
    exporter.export(items, (result) =>
      resolve({ code: result.code, grpcCode: (result.error as { code?: number } | undefined)?.code }),
    ),
  );
}

/** One raw unary call, as any gRPC client makes it: the status, and the RetryInfo delay if any. */
function rawExport(body: Uint8Array, metadata = withToken()) {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  return new Promise<{ code: grpc.status; details: string; retrySeconds: number | null }>((resolve) => {
    client.makeUnaryRequest(
      TRACES,
      (b: Uint8Array) => Buffer.from(b),
      (b: Buffer) => b,
      body,
      metadata,
      (error) => {
        client.close();
        if (!error) return resolve({ code: grpc.status.OK, details: '', retrySeconds: null });
        const trailer = error.metadata?.get('grpc-status-details-bin')[0];
        let retrySeconds: number | null = null;
        if (trailer instanceof Buffer) {
          const status = googleRpc.lookupType('Status').decode(trailer) as unknown as {
            details: { type_url: string; value: Uint8Array }[];
          };
          const detail = status.details.find(
            (d) => d.type_url === 'type.googleapis.com/google.rpc.RetryInfo',
          );
          if (detail) {
            const info = googleRpc.lookupType('RetryInfo').decode(detail.value) as unknown as {
              retry_delay: { seconds: number | { toNumber(): number } };
            };
            const seconds = info.retry_delay.seconds;
            retrySeconds = typeof seconds === 'number' ? seconds : seconds.toNumber();
          }
        }
        resolve({ code: error.code, details: error.details, retrySeconds });
      },
    );
  });
}

describe('OTLP/gRPC listener', () => {
  it('stores traces and metrics from the OpenTelemetry JS gRPC exporters, gzip-compressed, with the token', async () => {
    const before = (await store.stats()).messagingSpans;
    const traces = new OTLPTraceExporter({
      url: `http://${address}`,
      compression: CompressionAlgorithm.GZIP,
      metadata: withToken(),
    });
    expect(await exported(traces, sendSpans(25))).toEqual({
      code: ExportResultCode.SUCCESS,
      grpcCode: undefined,
    });
    await traces.shutdown();
    expect((await store.stats()).messagingSpans - before).toBe(25);

    const pointsBefore = ingestStats().pointsStored;
    const recorder = recordMetrics('billing', (meter) =>
      meter.createHistogram('messaging.process.duration', { unit: 's' }).record(0.25, {
        'messaging.system': 'kafka',
        'messaging.destination.name': 'orders',
        'messaging.consumer.group.name': 'billing',
      }),
    );
    const metrics = new OTLPMetricExporter({
      url: `http://${address}`,
      compression: CompressionAlgorithm.GZIP,
      metadata: withToken(),
    });
    expect(await exported(metrics, await recorder.collect())).toMatchObject({
      code: ExportResultCode.SUCCESS,
    });
    await recorder.shutdown();
    await metrics.shutdown();
    expect(ingestStats().pointsStored).toBeGreaterThan(pointsBefore);
  });

  it('refuses a missing or wrong token with UNAUTHENTICATED, storing nothing', async () => {
    const before = (await store.stats()).messagingSpans;
    for (const metadata of [new grpc.Metadata(), withToken('wrong-token-of-some-length')]) {
      const exporter = new OTLPTraceExporter({ url: `http://${address}`, metadata });
      expect(await exported(exporter, sendSpans(2))).toEqual({
        code: ExportResultCode.FAILED,
        grpcCode: grpc.status.UNAUTHENTICATED,
      });
      await exporter.shutdown();
    }
    expect((await store.stats()).messagingSpans).toBe(before);
  });

  it('answers bad data with INVALID_ARGUMENT and an oversized message with RESOURCE_EXHAUSTED', async () => {
    const garbage = await rawExport(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
    expect(garbage.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(garbage.retrySeconds).toBeNull();
    const huge = await rawExport(new Uint8Array(5 * 1024 * 1024));
    expect(huge.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    // The listener still serves afterwards.
    expect((await rawExport(toProtobuf(sendSpans(1)))).code).toBe(grpc.status.OK);
  });

  it('answers a full write queue with RESOURCE_EXHAUSTED and RetryInfo, and stores every batch it accepted', async () => {
    const before = (await store.stats()).messagingSpans;
    const body = () => toProtobuf(sendSpans(600));
    const results = await Promise.all(Array.from({ length: 12 }, () => rawExport(body())));
    const ok = results.filter((r) => r.code === grpc.status.OK).length;
    const refused = results.filter((r) => r.code === grpc.status.RESOURCE_EXHAUSTED);
    expect(ok + refused.length).toBe(12);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) {
      expect(r.details).toBe('the ingest queue is full; retry later');
      expect(r.retrySeconds).toBeGreaterThan(0);
    }
    expect((await store.stats()).messagingSpans - before).toBe(ok * 600);
  });

  it('warns and carries on when its port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const second = await startOtlpGrpcServer({
      store: () => Promise.resolve(store),
      maxBodyBytes: 1024,
      maxInflightBytes: 1024 * 1024,
      token: null,
      host: '127.0.0.1',
      port,
    });
    expect(second).toBeNull();
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/cannot listen for OTLP\/gRPC.*SIGNALBOX_OTLP_GRPC_PORT/),
    );
    warn.mockRestore();
    blocker.close();
  });
});
