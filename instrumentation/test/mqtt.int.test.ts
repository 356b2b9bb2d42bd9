import { randomUUID } from 'node:crypto';
import { SpanKind, trace } from '@opentelemetry/api';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate, BROKERS } from '../../lib/testing/brokers.js';
import { instrumentMqttClient } from '../src/index.js';
import { pathwayHash } from '../src/pathway/hash.js';
import { setupMetrics } from './support/metrics.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('mqtt');

const url = `mqtt://${BROKERS.mqtt.host}:${BROKERS.mqtt.port}`;

describe.skipIf(gate.skip)('MQTT through a real Mosquitto', () => {
  const tracing = setupTracing();
  const metrics = setupMetrics();
  const base = { tracerProvider: tracing.provider, meterProvider: metrics.provider };
  const root = `sbx/${randomUUID()}`;
  const clients: MqttClient[] = [];
  const open = async (protocolVersion: 4 | 5) => {
    const client = await mqtt.connectAsync(url, { protocolVersion, clean: true });
    clients.push(client);
    return client;
  };
  let producer: MqttClient;
  let consumer: MqttClient;

  beforeAll(async () => {
    producer = instrumentMqttClient(await open(5), { ...base, serviceName: 'mqtt-producer' });
    consumer = instrumentMqttClient(await open(5), base);
  });

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.endAsync()));
    await metrics.shutdown();
    await tracing.shutdown();
  });

  it('carries MQTT 5 user properties through a wildcard subscription, named after its filter', async () => {
    const filter = `${root}/+/temperature`;
    const topic = `${root}/kitchen/temperature`;
    await consumer.subscribeAsync(filter, { qos: 1 });
    const received = new Promise<{ packet: IPublishPacket; traceId?: string }>((resolve) => {
      consumer.on('message', (_topic, _payload, packet) =>
        resolve({ packet, traceId: trace.getActiveSpan()?.spanContext().traceId }),
      );
    });
    // A second listener must not count the message twice.
    const second = () => {};
    consumer.on('message', second);

    const userProperties = { tenant: 'eu' };
    await producer.publishAsync(topic, '21.5', { qos: 1, properties: { userProperties } });
    expect(userProperties).toEqual({ tenant: 'eu' });
    const { packet, traceId } = await received;
    consumer.off('message', second);

    const props = packet.properties?.userProperties ?? {};
    expect(props.tenant).toBe('eu');
    expect(props.traceparent).toMatch(/^00-/);
    expect(props['signalbox-pathway']).toMatch(/^1:/);

    const send = tracing.spans().find((s) => s.name === `send ${topic}`);
    const processed = await waitFor(() => {
      const spans = tracing.spans().filter((s) => s.name === `process ${filter}`);
      return spans.length === 2 ? spans : undefined;
    }, 'a process span per listener');
    if (!send) throw new Error('no send span');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'mqtt',
      'messaging.destination.name': topic,
    });
    for (const span of processed) {
      expect(span.kind).toBe(SpanKind.CONSUMER);
      expect(span.attributes).toMatchObject({
        'messaging.destination.name': topic,
        'messaging.destination.template': filter,
      });
      expect(sameSpan(span.links[0]?.context, send.spanContext())).toBe(true);
    }
    expect(processed.map((s) => s.spanContext().traceId)).toContain(traceId);

    const consumed = (await metrics.points('messaging.client.consumed.messages')).filter(
      (p) => p.attributes['messaging.destination.name'] === filter,
    );
    expect(consumed.map((p) => p.value)).toEqual([1]);
    const hash = pathwayHash('', 'mqtt-producer', 'mqtt', topic);
    const edge = (await metrics.points('signalbox.messaging.edge.latency')).find(
      (p) => p.attributes['signalbox.pathway.hash'] === hash,
    );
    expect(edge?.value).toBe(1);
  });

  it('reports a shared subscription as the consumer group, and ends sends on the callback', async () => {
    tracing.reset();
    const topic = `${root}/shared`;
    await consumer.subscribeAsync(`$share/alerts/${topic}`, { qos: 1 });
    const got = new Promise<void>((resolve) => consumer.once('message', () => resolve()));
    const acked = new Promise<Error | null | undefined>((resolve) =>
      producer.publish(topic, 'x', { qos: 1 }, (error) => resolve(error)),
    );
    expect(await acked).toBeFalsy();
    await got;
    const processed = await waitFor(
      () => tracing.spans().find((s) => s.name === `process ${topic}`),
      'process span',
    );
    expect(processed.attributes['messaging.consumer.group.name']).toBe('alerts');
    expect(tracing.spans().find((s) => s.name === `send ${topic}`)).toBeDefined();
  });

  it('emits spans without propagation over MQTT 3.1.1', async () => {
    tracing.reset();
    const v4Producer = instrumentMqttClient(await open(4), base);
    const v4Consumer = instrumentMqttClient(await open(4), base);
    const topic = `${root}/v4`;
    await v4Consumer.subscribeAsync(topic, { qos: 1 });
    const got = new Promise<IPublishPacket>((resolve) =>
      v4Consumer.on('message', (_t, _p, packet) => resolve(packet)),
    );
    await v4Producer.publishAsync(topic, 'x', { qos: 1 });
    const packet = await got;
    expect(packet.properties).toBeUndefined();

    const send = await waitFor(() => tracing.spans().find((s) => s.name === `send ${topic}`), 'send span');
    const processed = await waitFor(
      () => tracing.spans().find((s) => s.name === `process ${topic}`),
      'process',
    );
    expect(send.attributes['messaging.system']).toBe('mqtt');
    expect(processed.links).toHaveLength(0);
    expect(processed.spanContext().traceId).not.toBe(send.spanContext().traceId);
  });
});
