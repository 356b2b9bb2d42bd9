import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SpanKind } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DuckDbStore } from '@/lib/store/duckdb-store';
import { metricsToJson, recordMetrics, recordSpans, toProtobuf } from '@/lib/testing/otlp-fixtures';
import { type OtlpServer, startOtlpServer } from './otlp-server';
import { openListenerStore, startLoopbackListener } from './testing/listener';

// The standalone OTLP/HTTP listener (what runs on :4318) over real HTTP, on a
// real store: routes, the bearer token, and backpressure.
const TOKEN = 'a-long-enough-test-token-0123456789';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-listener-'));
let store: DuckDbStore;
let server: OtlpServer;
let url: string;

beforeAll(async () => {
  store = await openListenerStore(path.join(dir, 'listener.duckdb'), 1000);
  server = await startLoopbackListener(store, { maxBodyBytes: 4 * 1024 * 1024, token: TOKEN });
  url = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function sends(n: number): Uint8Array<ArrayBuffer> {
  const spans = recordSpans('checkout', (tracer) => {
    for (let i = 0; i < n; i++) {
      tracer
        .startSpan('send orders', {
          kind: SpanKind.PRODUCER,
          attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': 'orders' },
        })
        .end();
    }
  });
  return new Uint8Array(toProtobuf(spans));
}

const post = (pathname: string, body: BodyInit, headers: Record<string, string>) =>
  fetch(`${url}${pathname}`, { method: 'POST', body, headers });
const auth = { authorization: `Bearer ${TOKEN}` };
const protobuf = { 'content-type': 'application/x-protobuf' };

describe('OTLP/HTTP listener', () => {
  it('takes traces and metrics with the right token', async () => {
    expect((await post('/v1/traces', sends(3), { ...protobuf, ...auth })).status).toBe(200);
    const recorder = recordMetrics('billing', (meter) =>
      meter.createCounter('messaging.client.consumed.messages').add(1, {
        'messaging.system': 'kafka',
        'messaging.destination.name': 'orders',
      }),
    );
    const metrics = await recorder.collect();
    await recorder.shutdown();
    const response = await post('/v1/metrics', metricsToJson(metrics), {
      'content-type': 'application/json',
      ...auth,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({});
  });

  it('refuses a missing or wrong token with 401 before reading the body', async () => {
    for (const headers of [
      protobuf,
      { ...protobuf, authorization: 'Bearer nope' },
      { ...protobuf, authorization: TOKEN },
    ]) {
      const response = await post('/v1/traces', sends(1), headers);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer');
    }
  });

  it('answers unknown paths 404, other methods 405, bad types 415 and oversized bodies 413', async () => {
    expect((await post('/v1/logs', 'x', auth)).status).toBe(404);
    const get = await fetch(`${url}/v1/traces`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await post('/v1/traces', 'x', { ...auth, 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post('/v1/traces', new Uint8Array(5 * 1024 * 1024), { ...auth, ...protobuf })).status).toBe(
      413,
    );
  });

  it('answers 429 with Retry-After when the write queue is full, and stores every batch it accepted', async () => {
    const before = (await store.stats()).messagingSpans;
    const responses = await Promise.all(
      Array.from({ length: 12 }, () => post('/v1/traces', sends(600), { ...protobuf, ...auth })),
    );
    const ok = responses.filter((r) => r.status === 200).length;
    const refused = responses.filter((r) => r.status === 429);
    expect(ok + refused.length).toBe(12);
    expect(refused.length).toBeGreaterThan(0);
    for (const r of refused) expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await store.stats()).messagingSpans - before).toBe(ok * 600);
  });

  it("stores an exporter's retry of a stored request once (answered 200 both times)", async () => {
    const before = (await store.stats()).messagingSpans;
    const body = sends(5);
    expect((await post('/v1/traces', body, { ...protobuf, ...auth })).status).toBe(200);
    expect((await post('/v1/traces', body, { ...protobuf, ...auth })).status).toBe(200);
    expect((await store.stats()).messagingSpans - before).toBe(5);
  });

  it('warns and carries on when its port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const second = await startOtlpServer({
      store: () => Promise.resolve(store),
      maxBodyBytes: 1024,
      maxInflightBytes: 1024 * 1024,
      token: null,
      host: '127.0.0.1',
      port,
    });
    expect(second).toBeNull();
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/EADDRINUSE.*SIGNALBOX_OTLP_PORT/));
    warn.mockRestore();
    blocker.close();
  });
});
