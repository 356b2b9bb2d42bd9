import { describe, expect, it } from 'vitest';
import type { Attributes, DecodedSpan } from '@/lib/model/telemetry';
import { toMessagingSpan } from './messaging-span';

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

describe('toMessagingSpan: Signalbox, Celery and delivery details', () => {
  it('reads the pathway span attributes and ignores malformed ones (PATHWAY.md)', () => {
    const at = Date.now();
    const row = toMessagingSpan({
      ...span({
        'messaging.system': 'kafka',
        'signalbox.pathway.hash': '0123456789abcdef',
        'signalbox.pathway.origin_ms': at - 50,
        'signalbox.pathway.send_ms': String(at - 10),
        'signalbox.pathway.hops': 2,
      }),
      startTimeUs: at * 1000,
    });
    expect(row?.pathway).toEqual({
      hash: '0123456789abcdef',
      parentHash: null,
      originMs: at - 50,
      sendMs: at - 10,
      hops: 2,
    });
    expect(
      toMessagingSpan(span({ 'messaging.system': 'kafka', 'signalbox.pathway.hash': 'XYZ' }))?.pathway,
    ).toBeNull();
    const future = toMessagingSpan({
      ...span({
        'messaging.system': 'kafka',
        'signalbox.pathway.hash': '0123456789abcdef',
        'signalbox.pathway.send_ms': at + 2 * 86_400_000,
      }),
      startTimeUs: at * 1000,
    });
    expect(future?.pathway?.sendMs).toBeNull();
  });

  it('recognises Celery spans, which carry no messaging.system', () => {
    const row = toMessagingSpan(
      span(
        {
          'celery.action': 'run',
          'celery.task_name': 't',
          'messaging.destination': 'celery',
          'celery.retries': 2,
        },
        5,
      ),
    );
    expect(row).toMatchObject({
      system: 'celery',
      operationType: 'process',
      destination: 'celery',
      deliveryAttempt: 3,
    });
  });

  it('reads partition, offset, key, redelivery, replay id and dead-lettering across conventions', () => {
    expect(
      toMessagingSpan(
        span({
          'messaging.system': 'kafka',
          'messaging.kafka.partition': 3,
          'messaging.kafka.message.offset': '42',
          'messaging.kafka.message_key': 'k1',
          'messaging.header.signalbox_replay_id': ['r-9'],
        }),
      ),
    ).toMatchObject({ partition: '3', offset: 42, routingKey: 'k1', replayId: 'r-9' });
    expect(
      toMessagingSpan(
        span({ 'messaging.system': 'rabbitmq', 'messaging.rabbitmq.message.redelivered': true }),
      )?.deliveryAttempt,
    ).toBe(2);
    const dlq = span({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.destination.name': 'orders.DLT',
    });
    expect(toMessagingSpan(dlq)?.deadLetter).toBe(true);
    expect(
      toMessagingSpan(
        span({
          'messaging.system': 'kafka',
          'messaging.operation.type': 'send',
          'messaging.destination.name': 'orders',
        }),
      )?.deadLetter,
    ).toBe(false);
    expect(
      toMessagingSpan(
        span({ 'messaging.system': 'kafka', 'messaging.gcp_pubsub.message.delivery_attempt': 1e12 }),
      )?.deliveryAttempt,
    ).toBeNull();
  });

  it('keeps the attributes as JSON text when they did not come as protobuf', () => {
    const row = toMessagingSpan(span({ 'messaging.system': 'nats', n: 1 }));
    expect(JSON.parse(Buffer.from(row!.attributes).toString('utf8'))).toEqual({
      'messaging.system': 'nats',
      n: 1,
    });
  });

  it('names the Java agent’s RabbitMQ "<default>" exchange by the queue it routes to', () => {
    const row = toMessagingSpan(
      span(
        {
          'messaging.system': 'rabbitmq',
          'messaging.operation': 'process',
          'messaging.destination.name': '<default>',
          'messaging.rabbitmq.destination.routing_key': 'orders',
        },
        5,
      ),
    );
    expect(row?.destination).toBe('orders');
  });

  it('reads the Java agent’s RabbitMQ basic.ack client span as a settle', () => {
    const row = toMessagingSpan({ ...span({ 'messaging.system': 'rabbitmq' }, 3), name: 'basic.ack' });
    expect(row?.operationType).toBe('settle');
  });

  it('reads the Java agent’s plain SQS DeleteMessage client span as a settle on its queue', () => {
    const row = toMessagingSpan(
      span(
        {
          'rpc.system': 'aws-api',
          'rpc.service': 'Sqs',
          'rpc.method': 'DeleteMessage',
          'aws.sqs.queue.url': 'http://127.0.0.1:9324/000000000000/orders',
        },
        3,
      ),
    );
    expect(row).toMatchObject({ system: 'aws_sqs', operationType: 'settle', destination: 'orders' });
  });
});

describe('toMessagingSpan: SDK-specific names', () => {
  it('groups a Go Pub/Sub subscribe span by its subscription (cloud.google.com/go/pubsub/v2)', () => {
    const subscribe = toMessagingSpan(
      span({ 'messaging.system': 'gcp_pubsub', 'messaging.destination.name': 'shipments-tracker' }, 5),
    );
    expect(subscribe).toMatchObject({
      operationType: 'process',
      destination: 'shipments-tracker',
      consumerGroup: 'shipments-tracker',
    });
    // An explicit group wins; a create (publish) span has none.
    expect(
      toMessagingSpan(
        span(
          {
            'messaging.system': 'gcp_pubsub',
            'messaging.destination.name': 'sub-a',
            'messaging.consumer.group.name': 'group-a',
          },
          5,
        ),
      )?.consumerGroup,
    ).toBe('group-a');
    expect(
      toMessagingSpan(
        span({ 'messaging.system': 'gcp_pubsub', 'messaging.destination.name': 'shipments' }, 4),
      )?.consumerGroup,
    ).toBeNull();
  });
});

describe('toMessagingSpan: Azure Service Bus entity paths', () => {
  it('reads a topic subscription path as the topic, grouped by the subscription (Azure.Messaging.ServiceBus)', () => {
    const processed = toMessagingSpan(
      span(
        {
          'messaging.system': 'servicebus',
          'messaging.operation': 'process',
          'messaging.destination.name': 'orders/Subscriptions/audit',
        },
        5,
      ),
    );
    expect(processed).toMatchObject({
      destination: 'orders',
      consumerGroup: 'audit',
      operationType: 'process',
    });
    // A queue is its own name; the semconv subscription attribute is read as the group.
    expect(
      toMessagingSpan(
        span(
          {
            'messaging.system': 'servicebus',
            'messaging.destination.name': 'invoices',
            'messaging.servicebus.destination.subscription_name': 'billing',
          },
          5,
        ),
      ),
    ).toMatchObject({ destination: 'invoices', consumerGroup: 'billing' });
  });
});

describe('toMessagingSpan: MassTransit', () => {
  it('reads a MassTransit receive activity, which has no messaging.system, by its RabbitMQ input address', () => {
    const receive = toMessagingSpan(
      span(
        {
          'messaging.operation': 'receive',
          'messaging.destination.name': 'order-submitted',
          'messaging.masstransit.input_address': 'rabbitmq://localhost/order-submitted',
        },
        5,
      ),
    );
    expect(receive).toMatchObject({
      system: 'rabbitmq',
      operationType: 'receive',
      destination: 'order-submitted',
    });
    // Another transport's address is not guessed at.
    expect(
      toMessagingSpan(
        span(
          {
            'messaging.operation': 'receive',
            'messaging.masstransit.input_address': 'loopback://localhost/q',
          },
          5,
        ),
      ),
    ).toBeNull();
  });
});
