import { describe, expect, it } from 'vitest';
import { encodeDeadLetterHeaders, type DeadLetterRecord } from '../../src/dlq/headers.js';
import { parseDeadLetter } from '../../src/dlq/parse.js';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

// The v1 wire format, written out literally: a change here is a breaking change for every reader.
const WIRE = {
  'signalbox-dlq-version': '1',
  'signalbox-dlq-id': '3f1c9a52-5e0b-4b7e-9a53-2a4f0f3d7c11',
  'signalbox-dlq-reason': 'error',
  'signalbox-dlq-original-system': 'kafka',
  'signalbox-dlq-original-destination': 'orders',
  'signalbox-dlq-original-partition': '2',
  'signalbox-dlq-original-offset': '1200',
  'signalbox-dlq-original-consumer-group': 'billing',
  'signalbox-dlq-original-traceparent': TRACEPARENT,
  'signalbox-dlq-error-type': 'PaymentDeclined',
  'signalbox-dlq-error-message': 'card declined: %E2%80%9Cinsufficient funds%E2%80%9D',
  'signalbox-dlq-error-stack': 'PaymentDeclined: card declined%0A    at charge (/srv/billing.js:3:9)',
  'signalbox-dlq-attempts': '3',
  'signalbox-dlq-first-failed-at': '2026-11-21T09:58:00.000Z',
  'signalbox-dlq-last-failed-at': '2026-11-21T10:00:00.000Z',
};

const EXPECTED = {
  dialect: 'signalbox',
  reason: 'error',
  errorType: 'PaymentDeclined',
  errorMessage: 'card declined: “insufficient funds”',
  stackTrace: 'PaymentDeclined: card declined\n    at charge (/srv/billing.js:3:9)',
  source: {
    system: 'kafka',
    destination: 'orders',
    partition: 2,
    offset: '1200',
    messageId: null,
    consumerGroup: 'billing',
  },
  attempts: 3,
  firstFailedAt: '2026-11-21T09:58:00.000Z',
  lastFailedAt: '2026-11-21T10:00:00.000Z',
  traceparent: TRACEPARENT,
  traceId: '0af7651916cd43dd8448eb211c80319c',
};

describe('parseDeadLetter: Signalbox headers', () => {
  it('reads the v1 header set (percent-encoded values decoded)', () => {
    const failure = parseDeadLetter({ system: 'kafka', destination: 'orders.DLT', headers: WIRE });
    expect(failure).toMatchObject(EXPECTED);
    expect(failure.details).toMatchObject({
      'signalbox.version': '1',
      'signalbox.dlq_id': '3f1c9a52-5e0b-4b7e-9a53-2a4f0f3d7c11',
    });
  });

  it('reads Buffer values and header names in any case', () => {
    const headers = Object.fromEntries(
      Object.entries(WIRE).map(([k, v]) => [k.toUpperCase(), Buffer.from(v)]),
    );
    expect(parseDeadLetter({ system: 'kafka', destination: 'orders.DLT', headers })).toMatchObject(EXPECTED);
  });

  it('reads the set packed into one SQS attribute', () => {
    const failure = parseDeadLetter({
      system: 'sqs',
      destination: 'orders-dlq',
      attributes: {
        MessageId: 'm-1',
        MessageAttributes: { 'signalbox-dlq': { DataType: 'String', StringValue: JSON.stringify(WIRE) } },
        Attributes: { ApproximateReceiveCount: '1' },
      },
    });
    // Ours wins over the SQS receive count; SQS still fills the message id the set lacks.
    expect(failure).toMatchObject({ ...EXPECTED, source: { ...EXPECTED.source, messageId: null } });
    expect(failure.dialects).toEqual(['signalbox', 'sqs']);
  });

  it('reads the set from a BullMQ dead-letter job, as object or as raw JSON data', () => {
    const job = { id: '5', name: 'charge', data: { 'signalbox-dlq': WIRE, data: { orderId: 1 } } };
    expect(parseDeadLetter({ system: 'bullmq', destination: 'dlq', job })).toMatchObject(EXPECTED);
    const raw = { ...job, data: JSON.stringify(job.data) };
    expect(parseDeadLetter({ system: 'bullmq', destination: 'dlq', job: raw })).toMatchObject(EXPECTED);
  });

  it('round-trips what encodeDeadLetterHeaders writes, including hostile text', () => {
    const record: DeadLetterRecord = {
      id: 'id-1',
      reason: 'rejected',
      system: 'rabbitmq',
      destination: 'päyments\r\nX-Injected: 1',
      messageId: 'msg 1',
      errorType: 'Error',
      errorMessage: ' leading space, 100% literal %41, tab\there ',
      errorStack: 'Error\n    at x',
      attempts: 1,
      firstFailedAt: '2026-11-21T10:00:00.000Z',
      lastFailedAt: '2026-11-21T10:00:00.000Z',
    };
    const headers = encodeDeadLetterHeaders(record);
    for (const value of Object.values(headers))
      expect(value).toMatch(/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/);
    const failure = parseDeadLetter({ system: 'rabbitmq', destination: 'payments.dlq', headers });
    expect(failure.source.destination).toBe('päyments\r\nX-Injected: 1');
    expect(failure.errorMessage).toBe(' leading space, 100% literal %41, tab\there ');
    expect(failure.source.messageId).toBe('msg 1');
  });
});

describe('parseDeadLetter: several dialects, replay markers and fallbacks', () => {
  it('lets ours win over broker bookkeeping and lists every dialect found', () => {
    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: 'orders.dlq',
      headers: {
        ...WIRE,
        'x-death': [
          { count: 7, reason: 'expired', queue: 'orders-retry', time: new Date('2026-01-01T00:00:00Z') },
        ],
      },
    });
    expect(failure).toMatchObject(EXPECTED);
    expect(failure.dialects).toEqual(['signalbox', 'rabbitmq']);
    // Details of every dialect are kept.
    expect(failure.details['rabbitmq.deaths']).toBe('1');
  });

  it('fills gaps from other dialects only when they name the same source', () => {
    const failure = parseDeadLetter({
      system: 'kafka',
      destination: 'orders.DLT',
      headers: {
        'signalbox-dlq-original-destination': 'orders',
        'signalbox-dlq-error-type': 'Boom',
        'kafka_dlt-original-topic': 'other-topic',
        'kafka_dlt-original-partition': '9',
        'kafka_dlt-exception-message': 'from spring',
      },
    });
    expect(failure.source).toMatchObject({ destination: 'orders', partition: null });
    expect(failure.errorType).toBe('Boom');
    expect(failure.errorMessage).toBe('from spring');
  });

  it('reads replay markers whoever wrote the rest', () => {
    const failure = parseDeadLetter({
      system: 'rabbitmq',
      destination: 'payments.dlq',
      headers: {
        'signalbox-replay-id': 'job-7',
        'signalbox-replay-count': '2',
        'x-death': [{ count: 1, reason: 'rejected', queue: 'payments' }],
      },
    });
    expect(failure.replay).toEqual({ id: 'job-7', count: 2 });
  });

  it('guesses the original from a conventional DLQ name, and says it guessed', () => {
    for (const [dlq, original] of [
      ['orders.DLT', 'orders'],
      ['orders.dlq', 'orders'],
      ['orders:dlq', 'orders'],
      ['orders_error', 'orders'],
      ['orders.dead-letter', 'orders'],
      ['dlq.orders.created', 'orders.created'],
    ]) {
      const failure = parseDeadLetter({ system: 'kafka', destination: dlq ?? '', headers: {} });
      expect(failure.source.destination).toBe(original);
      expect(failure.details['signalbox.destination_guessed']).toBe('true');
    }
    const plain = parseDeadLetter({ system: 'kafka', destination: 'orders', headers: {} });
    expect(plain.source.destination).toBeNull();
    expect(plain.details).toEqual({});
  });

  it('returns a complete model of nulls for a message with no dead-letter information', () => {
    expect(parseDeadLetter({ system: 'SQS', destination: 'x' })).toEqual({
      reason: null,
      errorType: null,
      errorMessage: null,
      stackTrace: null,
      source: {
        system: 'aws_sqs',
        destination: null,
        partition: null,
        offset: null,
        messageId: null,
        consumerGroup: null,
      },
      attempts: null,
      firstFailedAt: null,
      lastFailedAt: null,
      traceparent: null,
      traceId: null,
      replay: null,
      dialect: null,
      dialects: [],
      details: {},
    });
  });

  it('accepts NATS MsgHdrs-like objects, Maps and Redis field lists as headers', () => {
    const entries = Object.entries(WIRE);
    const msgHdrs = {
      keys: () => entries.map(([k]) => k),
      get: (k: string) => WIRE[k as keyof typeof WIRE],
      values: (k: string) => [WIRE[k as keyof typeof WIRE]],
    };
    for (const headers of [msgHdrs, new Map(entries), entries.flat(), entries]) {
      expect(parseDeadLetter({ system: 'nats', destination: 'dlq.orders', headers })).toMatchObject(EXPECTED);
    }
  });
});
