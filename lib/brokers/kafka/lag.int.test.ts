import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumeAndCommit } from './testing/consume';
import { drive } from '@/lib/lag/testing/drive';
import { brokerGate } from '@/lib/testing/brokers';
import type { KafkaSettings } from '@/lib/config';
import { compileFilter } from '../patterns';
import { TcpProxy } from '../testing/tcp-proxy';
import { KafkaLagAdapter } from './lag';

// Real Kafka on 127.0.0.1:9092. Each run uses its own topic and group names, so runs by others on the
// same broker do not interfere. Tolerance for lag in seconds: the produce time is known to within the
// send call's duration (record timestamps are the producer's clock at send), so ages are asserted
// within [now − sentAfter, now − sentBefore] (plus 1 ms rounding); interpolated ages exactly, since
// the test drives the clock the end-offset table is stamped with.
const gate = await brokerGate('kafka');
const BROKER = '127.0.0.1:9092';
const run = randomUUID().slice(0, 8);
const topic = `sbtest-lag-${run}`;
const group = `sbtest-group-${run}`;
const kafka = new Kafka({ clientId: 'lag-test', brokers: [BROKER], logLevel: logLevel.NOTHING });
const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
const admin = kafka.admin();

const settings = (overrides: Partial<KafkaSettings> = {}): KafkaSettings => ({
  brokers: [BROKER],
  clientId: 'lag-test-reader',
  tls: null,
  sasl: null,
  readMessages: true,
  ...overrides,
});
const ours = compileFilter({ include: [`kafka:*${run}*`], exclude: [] });
const include = (g: string, t: string) => ours('kafka', g, t);
const adapters: KafkaLagAdapter[] = [];
function adapter(overrides: Partial<KafkaSettings> = {}, clientConfig = {}) {
  const a = new KafkaLagAdapter(settings(overrides), include, clientConfig);
  adapters.push(a);
  return a;
}

/** Sends `count` messages to a partition; returns the time window the sends happened in. */
async function produce(partition: number, count: number, headers?: Record<string, string>) {
  const before = Date.now();
  await producer.send({
    topic,
    messages: Array.from({ length: count }, (_, i) => ({ partition, value: `m${i}`, headers })),
  });
  return { before, after: Date.now() };
}

const consume = (count: number) => consumeAndCommit(kafka, group, topic, count);

describe.skipIf(gate.skip)('Kafka consumer lag', () => {
  beforeAll(async () => {
    await Promise.all([producer.connect(), admin.connect()]);
    await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.close()));
    await admin.deleteGroups([group]).catch(() => undefined);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.all([producer.disconnect(), admin.disconnect()]);
  });

  it('measures a backlog left by a stopped consumer: messages exactly, seconds from the records', async () => {
    // Partition 0: 30 messages, of which the consumer reads 10. Partition 1: 5 messages, never read.
    const first = await produce(0, 10);
    const backlog0 = await produce(0, 20);
    await consume(10);
    const backlog1 = await produce(1, 5);
    // Commit on partition 1 too, at 0, so the group has a position there.
    await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 1, offset: '0' }] });
    expect(first.after).toBeLessThanOrEqual(backlog0.before);

    const driven = drive(adapter(), group, topic);
    const reading = await driven.step(0);
    const now = driven.clock.now();
    expect(reading).toMatchObject({ system: 'kafka', destination: topic, lagMessages: 25, consumers: 0 });
    expect(reading.details).toEqual({ state: 'Empty', partitionsWithoutCommit: 0 });
    const [p0, p1] = reading.partitions;
    expect(p0).toMatchObject({ partition: '0', lagMessages: 20, position: 10, endPosition: 30 });
    expect(p1).toMatchObject({ partition: '1', lagMessages: 5, position: 0, endPosition: 5 });
    // The head of partition 0 is message 10, sent in the second batch; of partition 1, the first send.
    expect(p0!.lagSecondsSource).toBe('message-timestamp');
    expect(p0!.lagSeconds!).toBeGreaterThanOrEqual((now - backlog0.after) / 1000 - 0.001);
    expect(p0!.lagSeconds!).toBeLessThanOrEqual((now - backlog0.before) / 1000 + 0.001);
    expect(p1!.lagSeconds!).toBeGreaterThanOrEqual((now - backlog1.after) / 1000 - 0.001);
    expect(reading.lagSeconds).toBe(Math.max(p0!.lagSeconds!, p1!.lagSeconds!));

    // Nobody consumes: after 60 s of no progress with nobody in the group, STOP.
    await driven.step();
    const stopped = await driven.step();
    expect(stopped.status).toBe('STOP');
    expect(stopped.etaSeconds).toBeNull();

    // Draining 4 messages per 10 s (offsets committed by hand, the group being empty): over the 60 s
    // trend window the lag falls 25 → 5 in a straight line, so the ETA is exactly 5 / 0.4 per s.
    for (const offset of [14, 18, 22, 26, 30]) {
      await admin.setOffsets({
        groupId: group,
        topic,
        partitions: [{ partition: 0, offset: String(offset) }],
      });
      await driven.step(10_000);
    }
    const draining = await driven.step(0);
    // Partition 0 caught up; partition 1 never moved and nobody is attached, so the group stays STOP.
    expect(draining).toMatchObject({
      lagMessages: 5,
      status: 'STOP',
      trend: { direction: 'shrinking', messagesPerSecond: -0.4 },
      etaSeconds: 13,
    });
    expect(draining.partitions.map((p) => p.status)).toEqual(['OK', 'STOP']);

    // A real consumer drains the rest: lag 0, status OK, ETA 0.
    await consume(5);
    const done = await driven.step();
    expect(done).toMatchObject({ lagMessages: 0, lagSeconds: 0, status: 'OK', etaSeconds: 0 });
  });

  it('prefers the pathway header sendMs over the record timestamp', async () => {
    const pathwayGroup = `sbtest-pathway-${run}`;
    const end = Number((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 1)!.high);
    const sendMs = Date.now() - 90_000;
    await produce(1, 3, { 'signalbox-pathway': `1:00112233445566aa:${sendMs - 1000}:${sendMs}:2` });
    await admin.setOffsets({
      groupId: pathwayGroup,
      topic,
      partitions: [{ partition: 1, offset: String(end) }],
    });
    const driven = drive(adapter(), pathwayGroup, topic);
    const reading = await driven.step(0);
    expect(reading.partitions).toEqual([
      expect.objectContaining({ lagMessages: 3, lagSecondsSource: 'pathway' }),
    ]);
    expect(reading.lagSeconds).toBeCloseTo((driven.clock.now() - sendMs) / 1000, 2);
    await admin.deleteGroups([pathwayGroup]);
  });

  it('gives two groups waiting at different offsets of one partition the age of their own head', async () => {
    const [older, newer] = [`sbtest-older-${run}`, `sbtest-newer-${run}`];
    const start = Number((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 1)!.high);
    const now = Date.now();
    const header = (sendMs: number) => ({ 'signalbox-pathway': `1:00112233445566aa:${sendMs}:${sendMs}:1` });
    await produce(1, 1, header(now - 120_000));
    await produce(1, 1, header(now - 30_000));
    await admin.setOffsets({ groupId: older, topic, partitions: [{ partition: 1, offset: String(start) }] });
    await admin.setOffsets({
      groupId: newer,
      topic,
      partitions: [{ partition: 1, offset: String(start + 1) }],
    });
    const driven = drive(adapter(), older, topic);
    const olderLag = await driven.step(0);
    const newerLag = driven.poller.latest().groups.find((g) => g.group === newer)!;
    expect(olderLag.lagSeconds).toBeCloseTo((driven.clock.now() - (now - 120_000)) / 1000, 2);
    expect(newerLag.lagSeconds).toBeCloseTo((driven.clock.now() - (now - 30_000)) / 1000, 2);
    await admin.deleteGroups([older, newer]);
  });

  it('interpolates lag in seconds from end offsets over time when records are not read', async () => {
    const interpolatedGroup = `sbtest-interp-${run}`;
    const reader = adapter({ readMessages: false });
    const start = Number((await admin.fetchTopicOffsets(topic)).find((o) => o.partition === 1)!.high);
    await admin.setOffsets({
      groupId: interpolatedGroup,
      topic,
      partitions: [{ partition: 1, offset: String(start) }],
    });
    const driven = drive(reader, interpolatedGroup, topic);
    const t0 = driven.clock.now();
    await driven.step(0); // end = start at t0: nothing waits
    await produce(1, 10);
    await driven.step(10_000); // end = start + 10 at t0 + 10 s
    // Record start + 4 became visible when the end passed start + 5: halfway → produced at t0 + 5 s.
    await admin.setOffsets({
      groupId: interpolatedGroup,
      topic,
      partitions: [{ partition: 1, offset: String(start + 4) }],
    });
    const reading = await driven.step(10_000);
    expect(reading.partitions).toEqual([
      expect.objectContaining({ lagMessages: 6, lagSecondsSource: 'interpolated', lagSeconds: 15 }),
    ]);
    expect(driven.clock.now() - t0).toBe(20_000);
    await admin.deleteGroups([interpolatedGroup]);
  });

  it('keeps reading when a topic it knew is deleted under a group that has offsets for it', async () => {
    const doomed = `sbtest-doomed-${run}`;
    const doomedGroup = `sbtest-doomed-group-${run}`;
    await admin.createTopics({ topics: [{ topic: doomed, numPartitions: 1 }], waitForLeaders: true });
    await producer.send({ topic: doomed, messages: [{ value: 'x' }, { value: 'y' }] });
    await admin.setOffsets({
      groupId: doomedGroup,
      topic: doomed,
      partitions: [{ partition: 0, offset: '1' }],
    });
    const driven = drive(adapter(), group, topic);
    await driven.step(0);
    expect(driven.poller.latest().groups.find((g) => g.destination === doomed)).toMatchObject({
      lagMessages: 1,
    });

    await admin.deleteTopics({ topics: [doomed] });
    const after = await driven.step();
    expect(driven.poller.latest().brokers[0]).toMatchObject({ reachable: true, error: null });
    expect(after.status).not.toBe('ERR');
    expect(driven.poller.latest().groups.some((g) => g.destination === doomed)).toBe(false);
    await admin.deleteGroups([doomedGroup]).catch(() => undefined);
  });

  it('reports the broker unreachable while it is down and recovers when it returns', async () => {
    const proxy = await new TcpProxy('127.0.0.1', 9092).open();
    // kafkajs follows the broker's advertised address (127.0.0.1:9092) after bootstrapping, so every
    // connection to 9092 is routed through the proxy, as if the broker itself went away.
    const socketFactory = ({
      host,
      port,
      onConnect,
    }: {
      host: string;
      port: number;
      onConnect: () => void;
    }) => net.connect({ host, port: port === 9092 ? proxy.port : port }, onConnect);
    const reader = adapter({ brokers: [`127.0.0.1:${proxy.port}`] }, { socketFactory });
    const driven = drive(reader, group, topic);
    await driven.step(0);
    expect(driven.poller.latest().brokers[0]).toMatchObject({ reachable: true });

    await proxy.close();
    const down = await driven.poller.pollNow();
    expect(down.brokers[0]).toMatchObject({ reachable: false, address: `127.0.0.1:${proxy.port}` });
    expect(down.brokers[0]!.error).toMatch(/ECONNREFUSED|Connection|connect/i);
    expect(down.groups.find((g) => g.group === group)?.status).toBe('ERR');

    await proxy.open();
    const back = await driven.step();
    expect(back.status).not.toBe('ERR');
    expect(driven.poller.latest().brokers[0]).toMatchObject({ reachable: true, error: null });
    await proxy.close();
  });
});
