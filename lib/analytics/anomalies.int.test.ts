import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { deadLetterAmqp, instrumentAmqpChannel } from '@signalbox/instrumentation';
import amqp from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnomalyReport } from '@/lib/analytics/anomalies';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import { toProtobuf } from '@/lib/testing/otlp-fixtures';
import { postOtlp, tracedService } from '@/lib/testing/traced-service';

// A consumer instrumented with our package on a real RabbitMQ queue catches its
// errors and dead-letters the message (the common pattern: the process span ends
// OK). The Anomalies API must still see those processings as failed, and list the
// ones that ended by a deadline as timeouts, by message id.
const gate = await brokerGate('rabbitmq');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-anomalies-'));
process.env.SIGNALBOX_DATA_DIR = dataDir;

class TimeoutError extends Error {
  override name = 'TimeoutError';
}
class ValidationError extends Error {
  override name = 'ValidationError';
}
/** What the handler does with each message id: succeed, time out, or reject it as invalid. */
const OUTCOMES: Record<string, 'ok' | 'timeout' | 'invalid'> = {
  m0: 'ok',
  m1: 'timeout',
  m2: 'ok',
  m3: 'invalid',
  m4: 'timeout',
  m5: 'ok',
};

describe.skipIf(gate.skip)('anomalies from a real RabbitMQ consumer that dead-letters its failures', () => {
  const shop = tracedService('shop');
  const payer = tracedService('payer');
  const queue = `signalbox-anomalies-${randomUUID()}`;
  let report: AnomalyReport;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    const traces = await import('@/app/v1/traces/route');
    const anomalies = await import('@/app/api/anomalies/route');

    const connection = await amqp.connect(
      `amqp://guest:guest@${BROKERS.rabbitmq.host}:${BROKERS.rabbitmq.port}`,
    );
    closers.push(() => connection.close());
    const publisher = instrumentAmqpChannel(await connection.createChannel(), shop.options);
    const consumer = instrumentAmqpChannel(await connection.createChannel(), payer.options);
    const deadLetters = await connection.createConfirmChannel();
    await publisher.assertQueue(queue, { durable: false, autoDelete: true });
    await deadLetters.assertQueue(`${queue}.dlq`, { durable: false, autoDelete: true });
    closers.push(() => deadLetters.deleteQueue(`${queue}.dlq`));

    const ids = Object.keys(OUTCOMES);
    let settled = 0;
    const allSettled = new Promise<void>((resolve) => {
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- the instrumented channel awaits it
      void consumer.consume(queue, async (msg) => {
        if (!msg) return;
        const outcome = OUTCOMES[String(msg.properties.messageId)];
        try {
          if (outcome === 'timeout') throw new TimeoutError('card issuer did not answer within 2000 ms');
          if (outcome === 'invalid') throw new ValidationError('amount must be positive');
        } catch (error) {
          await deadLetterAmqp(deadLetters, msg, {
            queue,
            error,
            tracerProvider: payer.options.tracerProvider,
          });
        }
        consumer.ack(msg);
        if (++settled === ids.length) resolve();
      });
    });
    for (const id of ids) publisher.sendToQueue(queue, Buffer.from(id), { messageId: id });
    await allSettled;
    // The process spans end once the handler's promise settles.
    await new Promise((r) => setTimeout(r, 200));

    for (const s of [shop, payer]) {
      expect(await postOtlp(traces, toProtobuf(s.exporter.getFinishedSpans()))).toBe(200);
    }
    const response = await anomalies.GET(new Request('http://localhost/api/anomalies?from=15m'));
    expect(response.status).toBe(200);
    report = (await response.json()) as AnomalyReport;
  });

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    const { getStore } = await import('@/lib/runtime');
    await (await getStore()).close();
    for (const s of [shop, payer]) await s.metrics.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('lists exactly the processings that ended by a deadline as timeouts, with their message ids', () => {
    const ours = report.timeouts.filter((t) => t.destination === queue);
    expect(ours.map((t) => t.message).sort()).toEqual(['m1', 'm4']);
    for (const t of ours) {
      expect(t).toMatchObject({ service: 'payer', system: 'rabbitmq', reason: 'TimeoutError' });
      expect(t.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  it('counts a dead-lettered processing as failed even though its span ended OK', () => {
    const consumer = report.retries.find((r) => r.destination === queue);
    expect(consumer).toMatchObject({ service: 'payer', attempts: 6, messages: 6, failedAttempts: 3 });
    expect(report.duplicates.filter((d) => d.destination === queue)).toEqual([]);
  });
});
