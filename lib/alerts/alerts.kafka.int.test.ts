import { createHmac, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeAndCommit } from '@/lib/brokers/kafka/testing/consume';
import { KafkaLagAdapter } from '@/lib/brokers/kafka/lag';
import { type LagPoller, startLagPolling } from '@/lib/lag/poller';
import { MemoryLagHistory } from '@/lib/lag/memory-history';
import { SerialConnection } from '@/lib/store/serial-connection';
import { brokerGate } from '@/lib/testing/brokers';
import { AlertStore } from './alert-store';
import type { WebhookBody } from './channels';
import { AlertEvaluator } from './evaluator';
import { alertRule } from './rule';

// A consumer group falls behind on a real Kafka, read by the real lag poller; a lag rule fires and
// resolves; a real HTTP receiver verifies each webhook's signature. The receiver refuses the first
// delivery, the dashboard "restarts" on the same DuckDB file, and the firing notification still
// arrives once, with no second firing. The evaluator's clock is driven by the test (the broker's
// figures are real), so the for-duration and the retry backoff take no wall time.
const gate = await brokerGate('kafka');
const BROKER = '127.0.0.1:9092';
const run = randomUUID().slice(0, 8);
const topic = `sbtest-alerts-${run}`;
const group = `sbtest-alerts-group-${run}`;
const SECRET = 'a-webhook-secret-of-some-length';
const kafka = new Kafka({ clientId: 'alerts-test', brokers: [BROKER], logLevel: logLevel.NOTHING });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
const admin = kafka.admin();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-alerts-'));
const file = path.join(dir, 'signalbox.duckdb');

const rule = alertRule({
  id: 'billing-behind',
  name: 'Billing is behind',
  kind: 'lag-messages',
  scope: { system: 'kafka', destination: topic, group },
  threshold: 5,
  forSeconds: 20,
  resolveAfterSeconds: 30,
  severity: 'critical',
  labels: { team: 'payments' },
});

interface Received {
  delivery: string;
  body: WebhookBody;
  signatureValid: boolean;
  answered: number;
}
const received: Received[] = [];
let refuseNext = 0;
const receiver = http.createServer((req, res) => {
  let text = '';
  req.on('data', (chunk: Buffer) => (text += chunk.toString()));
  req.on('end', () => {
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(req.headers['x-signalbox-signature'])) ?? [];
    const expected = createHmac('sha256', SECRET).update(`${t}.${text}`).digest('hex');
    const answered = refuseNext > 0 ? 503 : 200;
    if (refuseNext > 0) refuseNext--;
    received.push({
      delivery: String(req.headers['x-signalbox-delivery']),
      body: JSON.parse(text) as WebhookBody,
      signatureValid: v1 === expected,
      answered,
    });
    res.writeHead(answered).end();
  });
});

async function produce(count: number) {
  await producer.send({ topic, messages: Array.from({ length: count }, (_, i) => ({ value: `m${i}` })) });
}

const consume = (count: number) => consumeAndCommit(kafka, group, topic, count);

/** The dashboard's alert parts on the DuckDB file, as a process start builds them. */
async function startDashboard(poller: LagPoller, clock: () => number) {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  const store = await AlertStore.create(new SerialConnection(connection));
  const evaluator = new AlertEvaluator({
    rules: [rule],
    store,
    channels: [
      {
        name: 'webhook',
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`,
        secret: SECRET,
      },
    ],
    inputs: () => Promise.resolve({ lag: poller.latest(), dlq: null, telemetry: null }),
    publicUrl: 'https://signalbox.example.com',
    intervalMs: 15_000,
    now: clock,
    schedule: false,
  });
  return {
    store,
    evaluator,
    stop: async () => {
      await evaluator.stop();
      connection.closeSync();
      instance.closeSync();
    },
  };
}

describe.skipIf(gate.skip)('alerts on real Kafka lag, delivered to a real webhook receiver', () => {
  let poller: LagPoller;

  beforeAll(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    await Promise.all([producer.connect(), admin.connect()]);
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
    await produce(1);
    await consume(1); // the group exists and is caught up
    const adapter = new KafkaLagAdapter(
      { brokers: [BROKER], clientId: 'alerts-test-reader', tls: null, sasl: null, readMessages: true },
      (g) => g === group,
    );
    poller = startLagPolling({ brokers: [adapter], history: new MemoryLagHistory(), schedule: false });
  });

  afterAll(async () => {
    await poller?.stop();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.all([producer.disconnect(), admin.disconnect()]);
    receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fires after its for-duration, survives a refused delivery and a restart, and resolves once drained', async () => {
    let now = 1_000_000;
    const clock = () => now;
    let dashboard = await startDashboard(poller, clock);

    // The consumer stops; messages pile up.
    await produce(20);
    await poller.pollNow();
    expect(poller.latest().groups.find((g) => g.group === group)?.lagMessages).toBe(20);
    await dashboard.evaluator.evaluateNow();
    expect(await dashboard.store.states()).toMatchObject([{ phase: 'pending', value: '20 messages' }]);
    expect(received).toEqual([]);

    // The for-duration passes: it fires; the receiver is down (503) for that first attempt.
    refuseNext = 1;
    now += 20_000;
    await dashboard.evaluator.evaluateNow();
    expect(received.map((r) => [r.body.status, r.answered])).toEqual([['firing', 503]]);
    const [queued] = await dashboard.store.recent(1);
    expect(queued).toMatchObject({ event: 'firing', attempts: 1, lastStatus: 'HTTP 503', deliveredMs: null });
    expect(queued!.nextAttemptMs).toBe(now + 5000);

    // The dashboard restarts on the same file before the retry is due.
    await dashboard.stop();
    dashboard = await startDashboard(poller, clock);
    now += 6_000;
    await poller.pollNow();
    await dashboard.evaluator.evaluateNow();
    // The retry went out; the alert was not fired a second time.
    expect(received.map((r) => [r.body.status, r.answered])).toEqual([
      ['firing', 503],
      ['firing', 200],
    ]);
    expect(received[1]!.delivery).toBe(received[0]!.delivery);

    // The consumer comes back and drains; the alert resolves only after resolveAfter (hysteresis).
    await consume(20);
    await poller.pollNow();
    now += 1_000;
    await dashboard.evaluator.evaluateNow();
    expect(received).toHaveLength(2);
    now += 30_000;
    await poller.pollNow();
    await dashboard.evaluator.evaluateNow();
    expect(received.map((r) => [r.body.status, r.answered])).toEqual([
      ['firing', 503],
      ['firing', 200],
      ['resolved', 200],
    ]);
    expect(await dashboard.store.states()).toEqual([]);

    // Every request was signed with the shared secret, and says what, where and since when.
    expect(received.every((r) => r.signatureValid)).toBe(true);
    const firing = received[1]!.body;
    expect(firing).toMatchObject({
      version: 1,
      status: 'firing',
      rule: {
        id: 'billing-behind',
        severity: 'critical',
        condition: 'lag above 5 messages',
        labels: { team: 'payments' },
      },
      subject: `kafka:${topic}#${group}`,
      value: '20 messages',
      breachStartedAt: new Date(1_000_000).toISOString(),
      firedAt: new Date(1_020_000).toISOString(),
      resolvedAt: null,
    });
    expect(firing.url).toBe(
      `https://signalbox.example.com/lag?system=kafka&destination=${topic}&group=${group}`,
    );
    expect(received[2]!.body).toMatchObject({
      status: 'resolved',
      value: '0 messages',
      resolvedAt: new Date(now).toISOString(),
    });
    await dashboard.stop();
  });
});
