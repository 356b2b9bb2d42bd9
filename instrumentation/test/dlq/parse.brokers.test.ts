import { describe, expect, it } from 'vitest';
import { parseDeadLetter } from '../../src/dlq/parse.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('parseDeadLetter: RabbitMQ x-death', () => {
  // The shape amqplib 2.x decoded from RabbitMQ 3.10 after nack(requeue=false) (captured for real in rabbitmq.int.test.ts).
  it('reads the newest death: reason, queue, count, time; exchange and routing keys as details', () => {
    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: 'payments.dlq',
      headers: {
        traceparent: TRACEPARENT,
        'x-death': [
          {
            count: 1,
            reason: 'rejected',
            queue: 'payments',
            time: { '!': 'timestamp', value: 1795237469 },
            exchange: '',
            'routing-keys': ['payments'],
          },
        ],
        'x-first-death-exchange': '',
        'x-first-death-queue': 'payments',
        'x-first-death-reason': 'rejected',
      },
    });
    expect(failure).toMatchObject({
      dialect: 'rabbitmq',
      reason: 'rejected',
      errorType: null,
      source: { system: 'rabbitmq', destination: 'payments' },
      attempts: 1,
      firstFailedAt: '2026-11-21T05:04:29.000Z',
      lastFailedAt: '2026-11-21T05:04:29.000Z',
      traceparent: TRACEPARENT,
    });
    expect(failure.details).toMatchObject({
      'rabbitmq.routing_keys': 'payments',
      'rabbitmq.first_death_queue': 'payments',
      'rabbitmq.deaths': '1',
    });
  });

  it('adds up deaths from the same queue, newest first, with Date and Buffer values from other clients', () => {
    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: 'work.parking-lot',
      headers: {
        'x-death': [
          {
            count: 2,
            reason: 'rejected',
            queue: Buffer.from('work'),
            time: new Date('2026-11-21T10:05:00Z'),
          },
          { count: 2, reason: 'expired', queue: 'work.retry', time: new Date('2026-11-21T10:04:00Z') },
          { count: 1, reason: 'expired', queue: 'work', time: new Date('2026-11-21T10:00:00Z') },
        ],
        'x-last-death-reason': 'rejected',
        'x-last-death-queue': 'work',
      },
    });
    expect(failure).toMatchObject({
      reason: 'rejected',
      source: { destination: 'work' },
      attempts: 3,
      firstFailedAt: '2026-11-21T10:00:00.000Z',
      lastFailedAt: '2026-11-21T10:05:00.000Z',
    });
  });

  it('reads a quorum queue delivery limit with x-delivery-count', () => {
    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: 'q.dlq',
      headers: {
        'x-death': [
          { count: 1, reason: 'delivery_limit', queue: 'q', time: { '!': 'timestamp', value: 1795237469 } },
        ],
        'x-delivery-count': 5,
      },
    });
    expect(failure.reason).toBe('delivery_limit');
    expect(failure.attempts).toBe(5);
  });
});

describe('parseDeadLetter: SQS redrive', () => {
  // Received from an ElasticMQ DLQ after maxReceiveCount=1 (captured for real in sqs.int.test.ts).
  const message = {
    MessageId: '7977937d-49ca-40c9-b4fd-fb4afa7f9671',
    Body: 'hello',
    Attributes: {
      DeadLetterQueueSourceArn: 'arn:aws:sqs:elasticmq:000000000000:orders',
      ApproximateFirstReceiveTimestamp: '1795237477853',
      SentTimestamp: '1795237477842',
      SenderId: '127.0.0.1',
      ApproximateReceiveCount: '2',
    },
    MessageAttributes: { traceparent: { DataType: 'String', StringValue: TRACEPARENT } },
  };

  it('reads the source queue from the ARN and counts the DLQ receive out of the attempts', () => {
    const failure = parseDeadLetter({ system: 'sqs', destination: 'orders-dlq', attributes: message });
    expect(failure).toMatchObject({
      dialect: 'sqs',
      reason: 'delivery_limit',
      source: {
        system: 'aws_sqs',
        destination: 'orders',
        messageId: '7977937d-49ca-40c9-b4fd-fb4afa7f9671',
      },
      attempts: 1,
      firstFailedAt: '2026-11-21T05:04:37.853Z',
      lastFailedAt: null,
      traceparent: TRACEPARENT,
    });
    expect(failure.details['sqs.source_arn']).toBe('arn:aws:sqs:elasticmq:000000000000:orders');
  });

  it('accepts a flat attribute record as well', () => {
    const failure = parseDeadLetter({
      system: 'aws_sqs',
      destination: 'orders-dlq',
      attributes: { ...message.Attributes, ...message.MessageAttributes },
    });
    expect(failure.source.destination).toBe('orders');
    expect(failure.traceparent).toBe(TRACEPARENT);
  });
});

describe('parseDeadLetter: failed BullMQ jobs', () => {
  const stack = 'Error: card declined for order 42\n    at process (/srv/worker.js:10:11)';

  it('reads a Job instance: message, the newest stack, attempts, failure time and bullmq-otel context', () => {
    const failure = parseDeadLetter({
      system: 'bullmq',
      destination: 'payments',
      job: {
        id: '17',
        name: 'charge',
        data: { orderId: 42 },
        opts: { attempts: 2, telemetry: { metadata: JSON.stringify({ traceparent: TRACEPARENT }) } },
        failedReason: 'card declined for order 42',
        stacktrace: ['Error: first try\n    at process (/srv/worker.js:10:11)', stack],
        attemptsMade: 2,
        attemptsStarted: 2,
        timestamp: 1795237400000,
        processedOn: 1795237460000,
        finishedOn: 1795237469000,
      },
    });
    expect(failure).toMatchObject({
      dialect: 'bullmq',
      reason: 'error',
      errorType: 'Error',
      errorMessage: 'card declined for order 42',
      stackTrace: stack,
      source: { system: 'bullmq', destination: 'payments', messageId: '17' },
      attempts: 2,
      lastFailedAt: '2026-11-21T05:04:29.000Z',
      traceparent: TRACEPARENT,
    });
    expect(failure.details['bullmq.job_name']).toBe('charge');
  });

  it('reads the raw Redis hash shape (JSON strings, compressed telemetry option)', () => {
    const failure = parseDeadLetter({
      system: 'bullmq',
      destination: 'payments',
      job: {
        id: '18',
        name: 'charge',
        data: '{"orderId":43}',
        opts: JSON.stringify({ attempts: 1, tm: JSON.stringify({ traceparent: TRACEPARENT }) }),
        failedReason: 'job stalled more than allowable limit',
        stacktrace: JSON.stringify([stack]),
        attemptsMade: '1',
        finishedOn: '1795237469000',
      },
    });
    expect(failure).toMatchObject({
      reason: 'stalled',
      attempts: 1,
      stackTrace: stack,
      traceparent: TRACEPARENT,
    });
  });

  it('reads job.asJSON(), which JSON-encodes failedReason and stacktrace', () => {
    const failure = parseDeadLetter({
      system: 'bullmq',
      destination: 'payments',
      job: { id: '19', failedReason: JSON.stringify('card "declined"'), stacktrace: JSON.stringify([stack]) },
    });
    expect(failure).toMatchObject({ errorMessage: 'card "declined"', stackTrace: stack });
  });
});

describe('parseDeadLetter: JetStream advisories', () => {
  it('reads a max_deliver advisory as a delivery limit, with the subject from the fetched message', () => {
    const failure = parseDeadLetter({
      system: 'nats',
      destination: 'ORDERS',
      advisory: JSON.stringify({
        type: 'io.nats.jetstream.advisory.v1.max_deliver',
        id: 'pLPUFEUKNcEWTFvGLb5XNi',
        timestamp: '2026-11-21T10:00:00.123456789Z',
        stream: 'ORDERS',
        consumer: 'billing',
        stream_seq: 412,
        deliveries: 2,
      }),
      headers: { 'Nats-Subject': 'orders.created', 'Nats-Sequence': '412' },
    });
    expect(failure).toMatchObject({
      dialect: 'nats',
      reason: 'delivery_limit',
      source: { system: 'nats', destination: 'orders.created', offset: '412', consumerGroup: 'billing' },
      attempts: 2,
      lastFailedAt: '2026-11-21T10:00:00.123Z',
    });
    expect(failure.details).toMatchObject({
      'nats.stream': 'ORDERS',
      'nats.advisory_id': 'pLPUFEUKNcEWTFvGLb5XNi',
    });
  });

  it('reads a terminated advisory, with the consumer reason of newer servers as the message', () => {
    const failure = parseDeadLetter({
      system: 'nats',
      destination: 'advisories',
      advisory: Buffer.from(
        JSON.stringify({
          type: 'io.nats.jetstream.advisory.v1.terminated',
          stream: 'ORDERS',
          consumer: 'billing',
          consumer_seq: 7,
          stream_seq: 9,
          deliveries: 1,
          reason: 'unknown SKU',
        }),
      ),
    });
    expect(failure).toMatchObject({ reason: 'terminated', errorMessage: 'unknown SKU', attempts: 1 });
    expect(failure.source.offset).toBe('9');
  });

  it('ignores other advisories', () => {
    const failure = parseDeadLetter({
      system: 'nats',
      destination: 'x',
      advisory: { type: 'io.nats.jetstream.advisory.v1.consumer_action', stream: 'S' },
    });
    expect(failure.dialects).toEqual([]);
  });
});
