import { describe, expect, it } from 'vitest';
import { parseDeadLetter } from '../../src/dlq/parse.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const long = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};
const utf8 = (s: string) => Buffer.from(s, 'utf8');

const JAVA_STACK = [
  'org.springframework.kafka.listener.ListenerExecutionFailedException: Listener failed',
  '\tat org.springframework.kafka.listener.KafkaMessageListenerContainer.decorateException(KafkaMessageListenerContainer.java:2976)',
  'Caused by: java.lang.IllegalStateException: order 42 has no customer',
  '\tat com.example.billing.OrderListener.listen(OrderListener.java:31)',
].join('\n');

describe('parseDeadLetter: Spring Kafka kafka_dlt-* headers', () => {
  // As kafkajs delivers a record written by DeadLetterPublishingRecoverer: every value a Buffer.
  const springHeaders = {
    traceparent: utf8(TRACEPARENT),
    'kafka_dlt-original-topic': utf8('orders'),
    'kafka_dlt-original-partition': int32(3),
    'kafka_dlt-original-offset': long(1_234_567),
    'kafka_dlt-original-timestamp': long(Date.parse('2026-11-21T09:59:58.000Z')),
    'kafka_dlt-original-timestamp-type': utf8('CreateTime'),
    'kafka_dlt-original-consumer-group': utf8('billing'),
    'kafka_dlt-exception-fqcn': utf8('org.springframework.kafka.listener.ListenerExecutionFailedException'),
    'kafka_dlt-exception-cause-fqcn': utf8('java.lang.IllegalStateException'),
    'kafka_dlt-exception-message': utf8('Listener failed; nested exception is order 42 has no customer'),
    'kafka_dlt-exception-stacktrace': utf8(JAVA_STACK),
  };

  it('reads the original topic, binary partition/offset, group and the cause as the error type', () => {
    const failure = parseDeadLetter({
      system: 'kafka',
      destination: 'orders.DLT',
      headers: springHeaders,
      timestamp: '1795255200000',
    });
    expect(failure).toMatchObject({
      dialect: 'spring-kafka',
      dialects: ['spring-kafka'],
      reason: 'error',
      errorType: 'java.lang.IllegalStateException',
      errorMessage: 'Listener failed; nested exception is order 42 has no customer',
      stackTrace: JAVA_STACK,
      source: {
        system: 'kafka',
        destination: 'orders',
        partition: 3,
        offset: '1234567',
        consumerGroup: 'billing',
        messageId: null,
      },
      attempts: null,
      firstFailedAt: null,
      // Spring records no failure time: the DLT record's own timestamp stands in.
      lastFailedAt: '2026-11-21T10:00:00.000Z',
      traceparent: TRACEPARENT,
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      replay: null,
    });
    expect(failure.details).toMatchObject({
      'spring.exception_fqcn': 'org.springframework.kafka.listener.ListenerExecutionFailedException',
      'spring.original_timestamp': '2026-11-21T09:59:58.000Z',
      'spring.original_timestamp_type': 'CreateTime',
    });
  });

  it('reads the LAST of appended headers when a record was dead-lettered twice', () => {
    const failure = parseDeadLetter({
      system: 'kafka',
      destination: 'orders.DLT',
      headers: {
        ...springHeaders,
        'kafka_dlt-original-topic': [utf8('orders'), utf8('orders-retry-0')],
        'kafka_dlt-original-offset': [long(1), long(99)],
        'kafka_dlt-exception-message': [utf8('first'), utf8('second')],
        'retry_topic-attempts': int32(3),
      },
    });
    expect(failure.source.destination).toBe('orders-retry-0');
    expect(failure.source.offset).toBe('99');
    expect(failure.errorMessage).toBe('second');
    expect(failure.attempts).toBe(3);
  });

  it('falls back to the key-exception headers for a key deserialization failure', () => {
    const failure = parseDeadLetter({
      system: 'kafka',
      destination: 'orders.DLT',
      headers: {
        'kafka_dlt-original-topic': 'orders',
        'kafka_dlt-key-exception-fqcn': 'org.apache.kafka.common.errors.SerializationException',
        'kafka_dlt-key-exception-message': 'Size of data received by IntegerDeserializer is not 4',
      },
    });
    expect(failure.errorType).toBe('org.apache.kafka.common.errors.SerializationException');
    expect(failure.errorMessage).toBe('Size of data received by IntegerDeserializer is not 4');
  });
});

describe('parseDeadLetter: Kafka Connect __connect.errors.* headers', () => {
  it('reads the failing record, connector, stage and exception (numbers are text)', () => {
    const failure = parseDeadLetter({
      system: 'kafka',
      destination: 'dlq-jdbc-sink',
      headers: {
        '__connect.errors.topic': utf8('payments'),
        '__connect.errors.partition': utf8('0'),
        '__connect.errors.offset': utf8('9876543210123'),
        '__connect.errors.connector.name': utf8('jdbc-sink'),
        '__connect.errors.task.id': utf8('2'),
        '__connect.errors.stage': utf8('VALUE_CONVERTER'),
        '__connect.errors.class.name': utf8('org.apache.kafka.connect.json.JsonConverter'),
        '__connect.errors.exception.class.name': utf8('org.apache.kafka.connect.errors.DataException'),
        '__connect.errors.exception.message': utf8('Converting byte[] to Kafka Connect data failed'),
        '__connect.errors.exception.stacktrace': utf8(
          'org.apache.kafka.connect.errors.DataException: Converting byte[] to Kafka Connect data failed\n\tat org.apache.kafka.connect.json.JsonConverter.toConnectData(JsonConverter.java:324)',
        ),
      },
    });
    expect(failure).toMatchObject({
      dialect: 'kafka-connect',
      reason: 'error',
      errorType: 'org.apache.kafka.connect.errors.DataException',
      errorMessage: 'Converting byte[] to Kafka Connect data failed',
      source: { system: 'kafka', destination: 'payments', partition: 0, offset: '9876543210123' },
    });
    expect(failure.stackTrace).toContain('JsonConverter.java:324');
    expect(failure.details).toMatchObject({
      'connect.connector': 'jdbc-sink',
      'connect.task_id': '2',
      'connect.stage': 'VALUE_CONVERTER',
      'connect.class_name': 'org.apache.kafka.connect.json.JsonConverter',
    });
  });
});
