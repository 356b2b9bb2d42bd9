import { SpanKind } from '@opentelemetry/api';
import type { Consumer, Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '../../lib/testing/brokers.js';
import { processKafkaMessage } from '../src/index.js';
import { kafkaClient, kafkaTopic, uniqueName } from './support/brokers.js';
import { setupMetrics } from './support/metrics.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('kafka');

// The SDK anchors each trace's clock separately, so spans of different traces
// can disagree by a fraction of a millisecond: "not before" allows 1 ms of that.
const CLOCK_SKEW_NS = 1_000_000;
const notBefore = ([s1, n1]: [number, number], [s2, n2]: [number, number]) =>
  (s1 - s2) * 1e9 + (n1 - n2) >= -CLOCK_SKEW_NS;

describe.skipIf(gate.skip)('kafkajs batches and commits through a real broker', () => {
  const tracing = setupTracing();
  const metrics = setupMetrics();
  const options = { tracerProvider: tracing.provider, meterProvider: metrics.provider };
  const kafka = kafkaClient();
  const topic = uniqueName('batch-topic');
  const groupId = uniqueName('batch-group');
  let producer: Producer;
  let consumer: Consumer;
  let closeKafka: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    ({ producer, consumer, close: closeKafka } = await kafkaTopic(kafka, { topic, groupId }, options));
  });

  afterAll(async () => {
    await closeKafka?.();
    await metrics.shutdown();
    await tracing.shutdown();
  });

  it('gives each message of an eachBatch its own process span, linked to its own create span, and counts each once', async () => {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const handled: string[] = [];
    let done!: () => void;
    const allHandled = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      autoCommit: false,
      eachBatch: async (payload) => {
        for (const message of payload.batch.messages) {
          await processKafkaMessage(payload, message, async () => {
            handled.push(message.value?.toString() ?? '');
            await new Promise((resolve) => setTimeout(resolve, 5));
          });
          payload.resolveOffset(message.offset);
        }
        const last = payload.batch.messages.at(-1);
        if (last) {
          await consumer.commitOffsets([
            { topic, partition: payload.batch.partition, offset: (Number(last.offset) + 1).toString() },
          ]);
        }
        if (handled.length >= 3) done();
      },
    });

    await producer.send({ topic, messages: [{ value: 'a' }, { value: 'b' }, { value: 'c' }] });
    await allHandled;
    await waitFor(() => tracing.spans().find((s) => s.name === `commit ${topic}`), 'commit span');

    const spans = tracing.spans();
    const creates = spans.filter((s) => s.name === `create ${topic}`);
    const processes = spans.filter((s) => s.name === `process ${topic}`);
    const polls = spans.filter((s) => s.name === `poll ${topic}`);
    expect(handled).toEqual(['a', 'b', 'c']);
    expect(creates).toHaveLength(3);
    expect(processes).toHaveLength(3);
    expect(polls.length).toBeGreaterThanOrEqual(1);
    expect(polls[0]?.kind).toBe(SpanKind.CLIENT);
    processes.forEach((processed, i) => {
      expect(processed.kind).toBe(SpanKind.CONSUMER);
      // Linked to that message's own creation context, not the batch's.
      expect(processed.links).toHaveLength(1);
      expect(sameSpan(processed.links[0]?.context, creates[i]?.spanContext())).toBe(true);
      expect(processed.attributes['messaging.kafka.offset']).toBe(i);
      // Real per-message boundaries: each ends before the next starts.
      const next = processes[i + 1];
      // Compared as [seconds, nanos] tuples: as one number they exceed 2^53 and lose precision.
      if (next) expect(notBefore(next.startTime, processed.endTime)).toBe(true);
    });
    const commit = spans.find((s) => s.name === `commit ${topic}`);
    expect(commit?.kind).toBe(SpanKind.CLIENT);
    expect(commit?.attributes).toMatchObject({
      'messaging.operation.type': 'settle',
      'messaging.operation.name': 'commit',
      'messaging.consumer.group.name': groupId,
    });

    const consumed = await metrics.points('messaging.client.consumed.messages');
    expect(consumed.reduce((n, p) => n + p.value, 0)).toBe(3);
    const processDurations = await metrics.points('messaging.process.duration');
    expect(processDurations.reduce((n, p) => n + p.value, 0)).toBe(3);
    expect(processDurations[0]?.attributes['messaging.consumer.group.name']).toBe(groupId);
    const sent = await metrics.points('messaging.client.sent.messages');
    expect(sent).toEqual([expect.objectContaining({ value: 3 })]);
  });
});
