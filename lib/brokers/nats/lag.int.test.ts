import { randomUUID } from 'node:crypto';
import net from 'node:net';
import {
  AckPolicy,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, connect, headers } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive, throughOutage } from '@/lib/lag/testing/drive';
import { brokerGate } from '@/lib/testing/brokers';
import { compileFilter } from '../patterns';
import { TcpProxy } from '../testing/tcp-proxy';
import { NatsLagAdapter } from './lag';

// Real NATS with JetStream on 127.0.0.1:4222, one stream per run. Lag in seconds comes from the time
// the server stored the oldest unacknowledged message (same machine, ms precision): asserted within
// the publish calls' window, plus 5 ms for the server's own timestamping.
const gate = await brokerGate('nats');
const run = randomUUID().slice(0, 8);
const stream = `SBTEST_${run}`;
const subject = `sbtest.${run}`;
const durable = `audit-${run}`;
const withPathway = `pathway-${run}`;
let nc: NatsConnection;
let jsm: JetStreamManager;
let js: JetStreamClient;
const adapters: NatsLagAdapter[] = [];
const ours = compileFilter({ include: [`nats:*${run}*`], exclude: [] });
function adapter(servers = ['nats://127.0.0.1:4222']) {
  const a = new NatsLagAdapter({ servers, tls: null }, (c, s) => ours('nats', c, s));
  adapters.push(a);
  return a;
}

async function publish(count: number, to = `${subject}.orders`, hdrs?: ReturnType<typeof headers>) {
  const before = Date.now();
  for (let i = 0; i < count; i++) await js.publish(to, `m${i}`, { headers: hdrs });
  return { before, after: Date.now() };
}

/** Fetches and acknowledges `count` messages as the durable consumer (a pull consumer that then goes away). */
async function consume(count: number, name = durable): Promise<void> {
  const consumer = await js.consumers.get(stream, name);
  const messages = await consumer.fetch({ max_messages: count, expires: 2000 });
  let seen = 0;
  for await (const m of messages) {
    await m.ackAck();
    if (++seen === count) break;
  }
  if (seen !== count) throw new Error(`fetched ${seen} of ${count}`);
}

describe.skipIf(gate.skip)('NATS JetStream consumer lag', () => {
  beforeAll(async () => {
    nc = await connect({ servers: '127.0.0.1:4222' });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: stream, subjects: [`${subject}.>`] });
    await jsm.consumers.add(stream, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${subject}.orders`,
    });
    await jsm.consumers.add(stream, {
      durable_name: withPathway,
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${subject}.traced`,
    });
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.close()));
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
  });

  it('measures a backlog exactly, goes STOP, drains with an exact ETA, and ends OK', async () => {
    await publish(10);
    const backlog = await publish(20);
    await consume(10);
    const driven = drive(adapter(), durable, stream);
    const reading = await driven.step(0);
    expect(reading).toMatchObject({
      system: 'nats',
      lagMessages: 20,
      consumers: 0,
      lagSecondsSource: 'message-timestamp',
      details: { pending: 20, ackPending: 0, redelivered: 0 },
    });
    expect(reading.partitions[0]).toMatchObject({ position: 10, endPosition: 30 });
    const now = driven.clock.now();
    expect(reading.lagSeconds!).toBeGreaterThanOrEqual((now - backlog.after) / 1000 - 0.005);
    expect(reading.lagSeconds!).toBeLessThanOrEqual((now - backlog.before) / 1000 + 0.005);

    await driven.step();
    expect(await driven.step()).toMatchObject({ status: 'STOP', etaSeconds: null });

    for (let i = 0; i < 6; i++) {
      await consume(2);
      await driven.step(10_000);
    }
    expect(await driven.step(0)).toMatchObject({
      lagMessages: 8,
      status: 'OK',
      trend: { direction: 'shrinking', messagesPerSecond: -0.2 },
      etaSeconds: 40,
    });
    await consume(8);
    expect(await driven.step()).toMatchObject({ lagMessages: 0, lagSeconds: 0, status: 'OK', etaSeconds: 0 });
  });

  it('uses the pathway header of the oldest unacknowledged message, within the consumer filter', async () => {
    const sendMs = Date.now() - 45_000;
    const h = headers();
    h.set('signalbox-pathway', `1:00112233445566aa:${sendMs}:${sendMs}:1`);
    await publish(3, `${subject}.traced`, h);
    const driven = drive(adapter(), withPathway, stream);
    const reading = await driven.step(0);
    expect(reading).toMatchObject({ lagMessages: 3, lagSecondsSource: 'pathway' });
    expect(reading.lagSeconds).toBeCloseTo((driven.clock.now() - sendMs) / 1000, 2);
  });

  it('reports a server that accepts connections but never answers, without waiting on it forever', async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket)).listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const driven = drive(adapter([`nats://127.0.0.1:${port}`]), durable, stream);
      const snapshot = await driven.poller.pollNow();
      expect(snapshot.brokers[0]).toMatchObject({
        reachable: false,
        error: 'no NATS greeting within 3 s (timeout)',
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('reports the server unreachable while it is down and recovers when it returns', async () => {
    const proxy = await new TcpProxy('127.0.0.1', 4222).open();
    await throughOutage(
      drive(adapter([`nats://127.0.0.1:${proxy.port}`]), durable, stream),
      proxy,
      (broker) => {
        expect(broker).toMatchObject({ reachable: false, address: `nats://127.0.0.1:${proxy.port}` });
      },
    );
  });
});
