import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../lib/testing/brokers.js';
import { uniqueName } from './support/brokers.js';
import { buildPackage, runScript } from './support/child.js';
import { zipkinGate, zipkinSpans } from './support/zipkin.js';

const gate = await brokerGate('rabbitmq');
const zipkin = await zipkinGate();

/** A CommonJS service: register() first, then amqplib, one message through a queue. */
const service = (registerFile: string, options: string) => `'use strict';
const { register } = require(${JSON.stringify(registerFile)});
const registration = register(${options});
const amqp = require('amqplib');
(async () => {
  const conn = await amqp.connect('amqp://guest:guest@127.0.0.1:5672');
  const ch = await conn.createChannel();
  const queue = process.env.TEST_QUEUE;
  await ch.assertQueue(queue, { durable: false });
  const got = new Promise((resolve) => {
    void ch.consume(queue, (msg) => { if (msg) { ch.ack(msg); resolve(); } });
  });
  ch.sendToQueue(queue, Buffer.from('hello'));
  await got;
  await ch.deleteQueue(queue);
  await conn.close();
  await registration.shutdown();
  console.log('{}');
})().catch((err) => { console.error(err); process.exit(1); });
`;

/** An HTTP server standing in for an OTLP receiver: records each request. */
async function otlpReceiver() {
  const requests: { path: string; contentType: string; body: Buffer }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body: Buffer.concat(chunks),
      });
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(gate.skip)('register() in a child process', () => {
  let build: Awaited<ReturnType<typeof buildPackage>>;
  beforeAll(async () => {
    build = await buildPackage();
  }, 180_000);
  afterAll(() => build?.cleanup());

  it('sends OTLP/HTTP protobuf traces and metrics to the endpoint option', async () => {
    const receiver = await otlpReceiver();
    try {
      const queue = uniqueName('register-otlp');
      await runScript(
        build.dir,
        'otlp.cjs',
        service(
          build.file('register/index.js'),
          `{ serviceName: 'orders-svc', endpoint: ${JSON.stringify(receiver.url)} }`,
        ),
        [],
        {
          TEST_QUEUE: queue,
          OTEL_EXPORTER_OTLP_ENDPOINT: '',
        },
      );
      const traces = receiver.requests.filter((r) => r.path === '/v1/traces');
      const metrics = receiver.requests.filter((r) => r.path === '/v1/metrics');
      expect(traces.length).toBeGreaterThan(0);
      expect(metrics.length).toBeGreaterThan(0);
      expect(traces[0]?.contentType).toBe('application/x-protobuf');
      const traceBytes = Buffer.concat(traces.map((t) => t.body)).toString('latin1');
      expect(traceBytes).toContain(`send ${queue}`);
      expect(traceBytes).toContain(`process ${queue}`);
      expect(traceBytes).toContain('orders-svc');
      const metricBytes = Buffer.concat(metrics.map((m) => m.body)).toString('latin1');
      expect(metricBytes).toContain('signalbox.messaging.edge.latency');
      expect(metricBytes).toContain('messaging.client.sent.messages');
    } finally {
      await receiver.close();
    }
  }, 120_000);

  it('lets OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_SERVICE_NAME win over the options', async () => {
    const fromOption = await otlpReceiver();
    const fromEnv = await otlpReceiver();
    try {
      await runScript(
        build.dir,
        'otlp-env.cjs',
        service(
          build.file('register/index.js'),
          `{ serviceName: 'from-code', endpoint: ${JSON.stringify(fromOption.url)} }`,
        ),
        [],
        {
          TEST_QUEUE: uniqueName('register-env'),
          OTEL_EXPORTER_OTLP_ENDPOINT: fromEnv.url,
          OTEL_SERVICE_NAME: 'from-env',
        },
      );
      expect(fromOption.requests).toEqual([]);
      const traces = fromEnv.requests.filter((r) => r.path === '/v1/traces');
      expect(traces.length).toBeGreaterThan(0);
      expect(Buffer.concat(traces.map((t) => t.body)).toString('latin1')).toContain('from-env');
    } finally {
      await fromOption.close();
      await fromEnv.close();
    }
  }, 120_000);

  it.skipIf(zipkin.skip)(
    'exports to a real Zipkin server (exporter: zipkin)',
    async () => {
      const serviceName = uniqueName('zipkin-svc');
      const queue = uniqueName('register-zipkin');
      await runScript(
        build.dir,
        'zipkin.cjs',
        service(
          build.file('register/index.js'),
          `{ serviceName: ${JSON.stringify(serviceName)}, exporter: 'zipkin', endpoint: 'http://127.0.0.1:9411/api/v2/spans' }`,
        ),
        [],
        {
          TEST_QUEUE: queue,
        },
      );
      const spans = await zipkinSpans(serviceName, 2);
      const byName = new Map(spans.map((s) => [s.name, s]));
      expect(byName.get(`send ${queue}`)).toMatchObject({
        kind: 'PRODUCER',
        localEndpoint: { serviceName },
        tags: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': queue },
      });
      expect(byName.get(`process ${queue}`)?.kind).toBe('CONSUMER');
    },
    120_000,
  );

  it('builds the legacy Jaeger exporter and sends Thrift to a UDP agent port (exporter: jaeger-legacy)', async () => {
    // No Jaeger agent runs here; a UDP socket stands in for it and checks
    // that a Thrift batch naming our service and spans arrives.
    const agent = dgram.createSocket('udp4');
    const packets: Buffer[] = [];
    agent.on('message', (packet) => packets.push(packet));
    await new Promise<void>((resolve) => agent.bind(0, '127.0.0.1', resolve));
    try {
      const queue = uniqueName('register-jaeger');
      const port = agent.address().port;
      await runScript(
        build.dir,
        'jaeger.cjs',
        service(
          build.file('register/index.js'),
          `{ serviceName: 'jaeger-legacy-svc', exporter: 'jaeger-legacy', endpoint: 'udp://127.0.0.1:${port}' }`,
        ),
        [],
        {
          TEST_QUEUE: queue,
        },
      );
      const bytes = Buffer.concat(packets).toString('latin1');
      expect(bytes).toContain('jaeger-legacy-svc');
      expect(bytes).toContain(`send ${queue}`);
    } finally {
      agent.close();
    }
  }, 120_000);
});
