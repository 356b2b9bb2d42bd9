import { describe, expect, it } from 'vitest';
import { toMessagingSpan } from './messaging-span';
import type { Attributes, DecodedSpan } from './model';

function span(
  attributes: Attributes,
  kind = 0,
  resource: Attributes = { 'service.name': 'svc' },
): DecodedSpan {
  return {
    traceId: 'a'.repeat(32),
    spanId: 'b'.repeat(16),
    parentSpanId: null,
    name: 'x',
    kind,
    startTimeUs: 1_000,
    endTimeUs: 3_500,
    attributes,
    resource,
    links: [],
    statusCode: 0,
    statusMessage: null,
  };
}

describe('toMessagingSpan', () => {
  it('ignores spans that are not messaging spans', () => {
    expect(toMessagingSpan(span({ 'http.request.method': 'GET' }))).toBeNull();
  });

  it('reads semconv 1.44 attributes', () => {
    const row = toMessagingSpan(
      span({
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.operation.name': 'process',
        'messaging.destination.name': 'orders',
        'messaging.consumer.group.name': 'billing',
        'messaging.message.id': 'm-1',
        'messaging.message.conversation_id': 'c-1',
        'error.type': 'TimeoutError',
      }),
    );
    expect(row).toMatchObject({
      system: 'kafka',
      operationType: 'process',
      operationName: 'process',
      destination: 'orders',
      consumerGroup: 'billing',
      messageId: 'm-1',
      conversationId: 'c-1',
      errorType: 'TimeoutError',
      service: 'svc',
      durationUs: 2_500,
    });
  });

  it('reads the older names other SDKs still send (Java agent 1.x, Python Celery)', () => {
    expect(
      toMessagingSpan(
        span({
          'messaging.system': 'kafka',
          'messaging.operation': 'publish',
          'messaging.destination': 'orders',
          'messaging.message_id': 'm-2',
        }),
      ),
    ).toMatchObject({
      operationType: 'send',
      operationName: 'publish',
      destination: 'orders',
      messageId: 'm-2',
    });
    expect(
      toMessagingSpan(span({ 'messaging.system': 'kafka', 'messaging.kafka.consumer.group': 'g1' }, 5)),
    ).toMatchObject({ operationType: 'process', consumerGroup: 'g1' });
  });

  it('infers the operation from the span kind when no operation attribute is set', () => {
    expect(toMessagingSpan(span({ 'messaging.system': 'rabbitmq' }, 4))?.operationType).toBe('send');
    expect(toMessagingSpan(span({ 'messaging.system': 'rabbitmq' }, 5))?.operationType).toBe('process');
    expect(toMessagingSpan(span({ 'messaging.system': 'rabbitmq' }, 3))?.operationType).toBeNull();
  });

  it('names a service without service.name the way the SDKs do', () => {
    expect(toMessagingSpan(span({ 'messaging.system': 'nats' }, 4, {}))?.service).toBe('unknown_service');
  });
});
