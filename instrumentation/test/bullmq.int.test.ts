import { SpanKind, trace } from '@opentelemetry/api';
import { Queue, Worker, type Job, type Processor } from 'bullmq';
import { BullMQOtel } from 'bullmq-otel';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { brokerGate, BROKERS } from '../../lib/testing/brokers.js';
import { instrumentBullMQProcessor, instrumentBullMQQueue } from '../src/index.js';
import { pathwayHash } from '../src/pathway/hash.js';
import { uniqueName } from './support/brokers.js';
import { setupMetrics } from './support/metrics.js';
import { sameSpan, setupTracing, waitFor } from './support/tracing.js';

const gate = await brokerGate('redis');

const connection = { host: BROKERS.redis.host, port: BROKERS.redis.port };
// Our own key prefix, so nothing here meets other engineers' queues.
const prefix = 'sbx-bull';

describe.skipIf(gate.skip)('BullMQ on a real Redis', () => {
  const tracing = setupTracing();
  const metrics = setupMetrics();
  const base = { tracerProvider: tracing.provider, meterProvider: metrics.provider };
  const closers: (() => Promise<unknown>)[] = [];

  const queueOf = (name: string, telemetry?: BullMQOtel) => {
    const queue = new Queue(name, { connection, prefix, ...(telemetry && { telemetry }) });
    closers.push(async () => {
      await queue.obliterate({ force: true }).catch(() => {});
      await queue.close();
    });
    return queue;
  };
  const workerOf = (name: string, processor: Processor, telemetry?: BullMQOtel) => {
    const worker = new Worker(name, processor, { connection, prefix, ...(telemetry && { telemetry }) });
    closers.push(() => worker.close());
    return worker;
  };

  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await metrics.shutdown();
    await tracing.shutdown();
  });

  it('traces add → process across a failed attempt and its retry (a redelivery)', async () => {
    const name = uniqueName('bull');
    const queue = instrumentBullMQQueue(queueOf(name), { ...base, serviceName: 'bull-producer' });
    let attempts = 0;
    const traceIds: (string | undefined)[] = [];
    const finished = new Promise<void>((resolve) => {
      const worker = workerOf(
        name,
        instrumentBullMQProcessor((job: Job) => {
          attempts++;
          traceIds.push(trace.getActiveSpan()?.spanContext().traceId);
          if (job.attemptsMade === 0) return Promise.reject(new TypeError('first attempt fails'));
          return Promise.resolve('ok');
        }, base),
      );
      worker.on('completed', () => resolve());
    });
    const job = await queue.add('charge', { amount: 12 }, { attempts: 2 });
    const metadata = JSON.parse(job.opts.telemetry?.metadata ?? '{}') as Record<string, string>;
    expect(metadata.traceparent).toMatch(/^00-/);
    expect(metadata['signalbox-pathway']).toMatch(/^1:/);
    await finished;
    expect(attempts).toBe(2);

    const send = tracing.spans().find((s) => s.name === `send ${name}`);
    const processed = tracing.spans().filter((s) => s.name === `process ${name}`);
    if (!send) throw new Error('no send span');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.attributes).toMatchObject({
      'messaging.system': 'bullmq',
      'messaging.destination.name': name,
      'messaging.message.id': job.id,
      'bullmq.job.name': 'charge',
    });
    expect(processed).toHaveLength(2);
    const [first, retry] = processed;
    expect(first?.attributes['error.type']).toBe('TypeError');
    expect(first?.attributes['bullmq.job.attempts.made']).toBe(0);
    expect(retry?.attributes['bullmq.job.attempts.made']).toBe(1);
    expect(retry?.attributes['error.type']).toBeUndefined();
    for (const span of processed) {
      expect(span.kind).toBe(SpanKind.CONSUMER);
      expect(sameSpan(span.links[0]?.context, send.spanContext())).toBe(true);
    }
    expect(traceIds).toEqual(processed.map((s) => s.spanContext().traceId));

    const redeliveries = await metrics.points('signalbox.messaging.redeliveries');
    expect(redeliveries.find((p) => p.attributes['messaging.destination.name'] === name)?.value).toBe(1);
    const hash = pathwayHash('', 'bull-producer', 'bullmq', name);
    const edge = (await metrics.points('signalbox.messaging.edge.latency')).find(
      (p) => p.attributes['signalbox.pathway.hash'] === hash,
    );
    expect(edge?.value).toBe(2);
  });

  it('gives each job of addBulk its own create span', async () => {
    tracing.reset();
    const name = uniqueName('bulk');
    const queue = instrumentBullMQQueue(queueOf(name), base);
    const seen = new Set<string>();
    const done = new Promise<void>((resolve) => {
      workerOf(
        name,
        instrumentBullMQProcessor((job: Job) => {
          seen.add(job.name);
          if (seen.size === 2) resolve();
          return Promise.resolve();
        }, base),
      );
    });
    await queue.addBulk([
      { name: 'a', data: 1 },
      { name: 'b', data: 2 },
    ]);
    await done;
    const creates = tracing.spans().filter((s) => s.name === `create ${name}`);
    expect(creates.map((s) => s.attributes['bullmq.job.name']).sort()).toEqual(['a', 'b']);
    const processed = await waitFor(() => {
      const spans = tracing.spans().filter((s) => s.name === `process ${name}`);
      return spans.length === 2 ? spans : undefined;
    }, 'two process spans');
    for (const span of processed) {
      expect(creates.some((c) => sameSpan(span.links[0]?.context, c.spanContext()))).toBe(true);
    }
  });

  it('processes a job added by bullmq-otel with its trace', async () => {
    tracing.reset();
    const name = uniqueName('otel-in');
    const otelQueue = queueOf(name, new BullMQOtel({ tracerName: 'bullmq-otel-producer' }));
    // A queue BullMQ traces itself is left alone: one span per add, not two.
    expect(instrumentBullMQQueue(otelQueue, base)).toBe(otelQueue);
    const done = new Promise<void>((resolve) => {
      workerOf(
        name,
        instrumentBullMQProcessor(() => {
          resolve();
          return Promise.resolve();
        }, base),
      );
    });
    await otelQueue.add('ship', {});
    await done;
    const add = tracing.spans().find((s) => s.name === `add ${name}.ship`);
    const processed = await waitFor(
      () => tracing.spans().find((s) => s.name === `process ${name}`),
      'process',
    );
    if (!add) throw new Error('bullmq-otel add span missing');
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(sameSpan(processed.links[0]?.context, add.spanContext())).toBe(true);
  });

  it('hands our context to a bullmq-otel worker, which processes the job in our trace', async () => {
    tracing.reset();
    const name = uniqueName('otel-out');
    const queue = instrumentBullMQQueue(queueOf(name), { ...base, serviceName: 'bull-producer-2' });
    const done = new Promise<void>((resolve) => {
      // bullmq-otel on the worker, our processor wrapper inside: BullMQ's span only, our metrics.
      workerOf(
        name,
        instrumentBullMQProcessor(() => {
          resolve();
          return Promise.resolve();
        }, base),
        new BullMQOtel({ tracerName: 'bullmq-otel-worker' }),
      );
    });
    await queue.add('ship', {});
    await done;
    const send = tracing.spans().find((s) => s.name === `send ${name}`);
    const bullProcess = await waitFor(
      () =>
        tracing
          .spans()
          .find((s) => s.name === `process ${name}` && s.instrumentationScope.name === 'bullmq-otel-worker'),
      'bullmq-otel process span',
    );
    if (!send) throw new Error('no send span');
    // bullmq-otel parents its process span on the context in the metadata: ours.
    expect(bullProcess.parentSpanContext?.spanId).toBe(send.spanContext().spanId);
    expect(bullProcess.spanContext().traceId).toBe(send.spanContext().traceId);
    const ours = tracing
      .spans()
      .filter(
        (s) => s.name === `process ${name}` && s.instrumentationScope.name === '@signalbox/instrumentation',
      );
    expect(ours).toHaveLength(0);
    const hash = pathwayHash('', 'bull-producer-2', 'bullmq', name);
    const edge = (await metrics.points('signalbox.messaging.edge.latency')).find(
      (p) => p.attributes['signalbox.pathway.hash'] === hash,
    );
    expect(edge?.value).toBe(1);
  });
});
