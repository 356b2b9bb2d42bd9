import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';
import { sqsAttributesCarrier } from '@signalbox/instrumentation/protocol';
import { describe, expect, it } from 'vitest';
import { messageView } from '@/lib/dlq/message-view';
import { replayHeaders } from '@/lib/dlq/replay-headers';
import { DlqBrokerError, type DlqRecord, type OutgoingMessage } from '../dlq-types';
import {
  queueNameFromArn,
  redriveTarget,
  sqsCopyAttributes,
  sqsMessageGroup,
  sqsRecord,
} from './dlq-mapping';
import { unmasked } from '@/lib/masking/testing';

const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const str = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/** A dead letter as deadLetterSqs writes it, after an earlier replay whose markers were folded. */
const deadLetter: Message = {
  MessageId: 'mid-1',
  ReceiptHandle: 'rh',
  Body: '{"id":2}',
  MessageAttributes: {
    tenant: str('acme'),
    retries: { DataType: 'Number', StringValue: '3' },
    blob: { DataType: 'Binary', BinaryValue: new Uint8Array([0xff, 0x00, 0x01]) },
    traceparent: str(TRACEPARENT),
    'signalbox-dlq': str(
      JSON.stringify({
        'signalbox-dlq-version': '1',
        'signalbox-dlq-reason': 'error',
        'signalbox-dlq-original-system': 'aws_sqs',
        'signalbox-dlq-original-destination': 'payments',
        'signalbox-dlq-error-type': 'OrderValidationError',
        'signalbox-dlq-error-message': 'payment%202%20over%20limit',
        'signalbox-dlq-attempts': '1',
      }),
    ),
    'signalbox-context': str(JSON.stringify({ 'signalbox-replay-id': 'r-0', 'signalbox-replay-count': '1' })),
  },
  Attributes: { ApproximateReceiveCount: '2', SentTimestamp: '1700000000000', MessageGroupId: 'g-7' },
};

const copyOf = (record: DlqRecord, replay = 'r-1'): OutgoingMessage => ({
  headers: replayHeaders(record.headers, replay, 1).headers,
  body: record.body,
  messageKey: null,
  properties: record.properties,
});

describe('SQS message → DLQ record', () => {
  const record = sqsRecord(deadLetter);

  it('shows attributes as headers, the packed ones unpacked, and the system attributes', () => {
    expect(record.key).toBe('mid-1');
    expect(record.headers).toMatchObject({
      tenant: 'acme',
      retries: '3',
      blob: 'base64:/wAB',
      traceparent: TRACEPARENT,
      'signalbox-dlq-error-type': 'OrderValidationError',
      'signalbox-replay-count': '1',
      ApproximateReceiveCount: '2',
      SentTimestamp: '1700000000000',
    });
    expect(record.headers).not.toHaveProperty('signalbox-dlq');
    expect(record.headers).not.toHaveProperty('signalbox-context');
    expect(record.timestamp).toBe('2023-11-14T22:13:20.000Z');
    expect(record.body.toString()).toBe('{"id":2}');
  });

  it('gives parseDeadLetter the failure, the replay count from the folded context and the trace', () => {
    const view = messageView('aws_sqs', 'payments-dlq', record, unmasked);
    expect(view.failure).toMatchObject({
      reason: 'error',
      errorType: 'OrderValidationError',
      errorMessage: 'payment 2 over limit',
      source: { system: 'aws_sqs', destination: 'payments' },
      attempts: 1,
      traceId: '0af7651916cd43dd8448eb211c80319c',
      replay: { id: 'r-0', count: 1 },
    });
  });

  it('names a redriven message by the source ARN and its MessageId', () => {
    const redriven = sqsRecord({
      MessageId: 'orig-9',
      Body: 'x',
      Attributes: {
        DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:invoices',
        ApproximateReceiveCount: '3',
      },
    });
    expect(messageView('aws_sqs', 'invoices.dlq', redriven, unmasked).failure).toMatchObject({
      reason: 'delivery_limit',
      source: { system: 'aws_sqs', destination: 'invoices', messageId: 'orig-9' },
      attempts: 2,
    });
  });
});

describe('replayed copy → SQS message attributes', () => {
  it('keeps own attributes with their types, drops system attributes and the old dead-letter set', () => {
    const record = sqsRecord(deadLetter);
    const attributes = sqsCopyAttributes(copyOf(record));
    expect(Object.keys(attributes).sort()).toEqual([
      'blob',
      'retries',
      'signalbox-replay-count',
      'signalbox-replay-id',
      'tenant',
    ]);
    expect(attributes.retries).toEqual({ DataType: 'Number', StringValue: '3' });
    expect(attributes.blob).toEqual({ DataType: 'Binary', BinaryValue: Buffer.from([0xff, 0x00, 0x01]) });
    expect(attributes['signalbox-replay-id']).toEqual(str('r-1'));
    expect(attributes['signalbox-replay-count']).toEqual(str('2'));
  });

  it('folds what the replay adds into signalbox-context when one attribute each would pass 10', () => {
    const own: Record<string, MessageAttributeValue> = {};
    for (let i = 0; i < 8; i++) own[`a${i}`] = str(String(i));
    const record = sqsRecord({ MessageId: 'm', Body: 'b', MessageAttributes: own });
    const message = copyOf(record);
    message.headers.traceparent = TRACEPARENT;
    const attributes = sqsCopyAttributes(message);
    expect(Object.keys(attributes)).toHaveLength(9);
    const carrier = sqsAttributesCarrier(attributes);
    expect(carrier.get('signalbox-replay-id')).toBe('r-1');
    expect(carrier.get('signalbox-replay-count')).toBe('2');
    expect(carrier.get('traceparent')).toBe(TRACEPARENT);
    expect(carrier.get('a7')).toBe('7');
  });

  it('counts the original trace context as foldable: 9 own + traceparent still replays', () => {
    const own: Record<string, MessageAttributeValue> = { traceparent: str(TRACEPARENT) };
    for (let i = 0; i < 9; i++) own[`a${i}`] = str(String(i));
    const message = copyOf(sqsRecord({ MessageId: 'm', Body: 'b', MessageAttributes: own }));
    message.headers.traceparent = TRACEPARENT.replace('b7ad', 'c8be');
    const attributes = sqsCopyAttributes(message);
    expect(Object.keys(attributes)).toHaveLength(10);
    expect(sqsAttributesCarrier(attributes).get('traceparent')).toBe(message.headers.traceparent);
  });

  it('refuses a message whose 10 own attributes leave no room, naming it', () => {
    const own: Record<string, MessageAttributeValue> = {};
    for (let i = 0; i < 10; i++) own[`a${i}`] = str(String(i));
    const message = copyOf(sqsRecord({ MessageId: 'm', Body: 'b', MessageAttributes: own }), 'r-full');
    expect(() => sqsCopyAttributes(message)).toThrow(DlqBrokerError);
    expect(() => sqsCopyAttributes(message)).toThrow(/r-full has 10 message attributes/);
  });

  it('keeps the FIFO message group, else one group per target', () => {
    expect(sqsMessageGroup(copyOf(sqsRecord(deadLetter)), 'orders.fifo')).toBe('g-7');
    expect(sqsMessageGroup(copyOf(sqsRecord({ MessageId: 'm', Body: 'b' })), 'orders.fifo')).toBe(
      'orders.fifo',
    );
  });
});

describe('redrive policies', () => {
  it('reads the DLQ name from deadLetterTargetArn', () => {
    expect(
      redriveTarget(
        '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:123456789012:orders-dlq","maxReceiveCount":"5"}',
      ),
    ).toBe('orders-dlq');
    expect(redriveTarget(undefined)).toBeNull();
    expect(redriveTarget('not json')).toBeNull();
    expect(queueNameFromArn('orders')).toBeNull();
  });
});
