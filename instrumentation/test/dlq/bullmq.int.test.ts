import { Queue, Worker, type Job } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { BROKERS, brokerGate } from '../../../lib/testing/brokers.js';
import { deadLetterBullMQ } from '../../src/brokers/bullmq/dead-letter.js';
import { parseDeadLetter } from '../../src/dlq/parse.js';
import { uniqueName } from '../support/brokers.js';
import { deadLetterTelemetry, eventually } from './telemetry-support.js';

const gate = await brokerGate('redis');

describe.skipIf(gate.skip)('dead letters on BullMQ (real Redis)', () => {
  const connection = { host: BROKERS.redis.host, port: BROKERS.redis.port };
  const telemetry = deadLetterTelemetry();
  const queueName = uniqueName('dlq-payments');
  const queue = new Queue(queueName, { connection });
  const dlq = new Queue(`${queueName}-dlq`, { connection });
  const finalFailures: Job[] = [];
  const worker = new Worker(
    queueName,
    (job: Job<{ orderId: number }>) => {
      throw new Error(`card declined for order ${job.data.orderId}`);
    },
    { connection },
  );
  worker.on('failed', (job) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) finalFailures.push(job);
  });

  afterAll(async () => {
    await worker.close();
    for (const q of [queue, dlq]) {
      await q.obliterate({ force: true });
      await q.close();
    }
    await telemetry.shutdown();
  });

  it('reads a job that failed both of its 2 attempts from the failed set', async () => {
    const added = await queue.add('charge', { orderId: 42 }, { attempts: 2 });
    await eventually(() => finalFailures.find((j) => j.id === added.id), 'the final failure');
    const job = (await queue.getJob(added.id!))!;

    for (const shape of [job, job.asJSON()]) {
      const failure = parseDeadLetter({ system: 'bullmq', destination: queueName, job: shape });
      expect(failure).toMatchObject({
        dialect: 'bullmq',
        reason: 'error',
        errorType: 'Error',
        errorMessage: 'card declined for order 42',
        source: { system: 'bullmq', destination: queueName, messageId: added.id },
        attempts: 2,
        lastFailedAt: new Date(job.finishedOn!).toISOString(),
      });
      expect(failure.stackTrace).toMatch(/^Error: card declined for order 42\n\s+at /);
    }
  });

  it('deadLetterBullMQ moves the failure into a dead-letter queue that parses back to the same failure', async () => {
    const added = await queue.add('charge', { orderId: 43 }, { attempts: 1 });
    await eventually(() => finalFailures.find((j) => j.id === added.id), 'the final failure');
    const job = (await queue.getJob(added.id!))!;

    const result = await deadLetterBullMQ(job, dlq, {
      tracerProvider: telemetry.tracerProvider,
      meterProvider: telemetry.meterProvider,
    });
    await job.remove(); // only after the copy was added

    const copy = (await dlq.getJob(result.jobId!))!;
    expect(copy.name).toBe('charge');
    expect(copy.data).toMatchObject({ data: { orderId: 43 } });
    const failure = parseDeadLetter({ system: 'bullmq', destination: dlq.name, job: copy });
    expect(failure).toMatchObject({
      dialect: 'signalbox',
      reason: 'error',
      errorType: 'Error',
      errorMessage: 'card declined for order 43',
      source: { system: 'bullmq', destination: queueName, messageId: added.id },
      attempts: 1,
    });
    expect(failure.stackTrace).toMatch(/^Error: card declined for order 43\n\s+at /);
    expect(await telemetry.deadLetterCounts()).toEqual([
      {
        value: 1,
        attributes: {
          'messaging.system': 'bullmq',
          'messaging.destination.name': queueName,
          'error.type': 'Error',
        },
      },
    ]);
  });
});
