import { describe, expect, it } from 'vitest';
import { messageView } from '@/lib/dlq/message-view';
import { replayHeaders } from '@/lib/dlq/replay-headers';
import { DlqBrokerError, type DlqRecord, type OutgoingMessage } from '../dlq-types';
import { isHeaderField, redisCopyFields, redisRecord } from './dlq-mapping';
import { unmasked } from '@/lib/masking/testing';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const b = (text: string) => Buffer.from(text);

/** An entry as deadLetterRedisStream writes it (original fields, then the dead-letter set), read with Buffers. */
const fields = [
  b('id'),
  b('2'),
  b('cents'),
  b('20000'),
  b('blob'),
  Buffer.from([0xff, 0x00]),
  b('tag'),
  b('first'),
  b('tag'),
  b('second'),
  b('traceparent'),
  b(TRACEPARENT),
  b('signalbox-dlq-version'),
  b('1'),
  b('signalbox-dlq-reason'),
  b('error'),
  b('signalbox-dlq-original-system'),
  b('redis'),
  b('signalbox-dlq-original-destination'),
  b('payments'),
  b('signalbox-dlq-original-offset'),
  b('1700000000000-3'),
  b('signalbox-dlq-original-consumer-group'),
  b('notifier'),
  b('signalbox-dlq-error-type'),
  b('OrderValidationError'),
  b('signalbox-dlq-error-message'),
  b('payment%202%20over%20limit'),
  b('signalbox-dlq-attempts'),
  b('1'),
];

const copyOf = (record: DlqRecord, body = record.body): OutgoingMessage => ({
  headers: replayHeaders(record.headers, 'r-1', 0).headers,
  body,
  messageKey: null,
  properties: record.properties,
});

describe('Redis Streams entry → DLQ record', () => {
  const record = redisRecord('1700000000001-0', fields);

  it('splits metadata fields (headers) from the payload (body, as a JSON object)', () => {
    expect(record.key).toBe('1700000000001-0');
    expect(record.timestamp).toBe('2023-11-14T22:13:20.001Z');
    expect(Object.keys(record.headers)).toEqual([
      'traceparent',
      'signalbox-dlq-version',
      'signalbox-dlq-reason',
      'signalbox-dlq-original-system',
      'signalbox-dlq-original-destination',
      'signalbox-dlq-original-offset',
      'signalbox-dlq-original-consumer-group',
      'signalbox-dlq-error-type',
      'signalbox-dlq-error-message',
      'signalbox-dlq-attempts',
    ]);
    expect(JSON.parse(record.body.toString())).toEqual({
      id: '2',
      cents: '20000',
      blob: 'base64:/wA=',
      tag: 'second',
    });
    expect(isHeaderField('Signalbox-Replay-Count')).toBe(true);
    expect(isHeaderField('cents')).toBe(false);
  });

  it('gives parseDeadLetter the failure with its source entry and group', () => {
    expect(messageView('redis', 'payments:dlq', record, unmasked).failure).toMatchObject({
      reason: 'error',
      errorType: 'OrderValidationError',
      errorMessage: 'payment 2 over limit',
      source: {
        system: 'redis',
        destination: 'payments',
        offset: '1700000000000-3',
        consumerGroup: 'notifier',
      },
      attempts: 1,
      traceId: '0af7651916cd43dd8448eb211c80319c',
    });
  });
});

describe('replayed copy → XADD fields', () => {
  const record = redisRecord('1700000000001-0', fields);

  it('writes the payload back byte for byte (order, repeats, binary), then the new headers', () => {
    const copy = redisCopyFields(copyOf(record));
    expect(copy.slice(0, 10)).toEqual(fields.slice(0, 10));
    expect(copy.slice(10).map(String)).toEqual(['signalbox-replay-id', 'r-1', 'signalbox-replay-count', '1']);
  });

  it('rebuilds an edited body from its JSON object; anything else is refused', () => {
    const edited = redisCopyFields(copyOf(record, b('{"id":"2","cents":100,"meta":{"a":1}}')));
    expect(edited.slice(0, 6)).toEqual(['id', '2', 'cents', '100', 'meta', '{"a":1}']);
    expect(() => redisCopyFields(copyOf(record, b('[1,2]')))).toThrow(DlqBrokerError);
    expect(() => redisCopyFields(copyOf(record, b('cents=100')))).toThrow(/JSON object/);
  });
});
