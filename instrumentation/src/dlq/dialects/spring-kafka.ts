import { PARSE_LIMITS } from '../model.js';
import { SYSTEM_KAFKA } from '../system.js';
import { count, int64, text, time } from '../values.js';
import type { DialectReader } from './types.js';

/*
 * Spring for Apache Kafka's DeadLetterPublishingRecoverer: `kafka_dlt-*`
 * headers. The original partition is a 4-byte and the offset and timestamp
 * 8-byte big-endian binary (ByteBuffer.putInt/putLong); topic, consumer group
 * and exception fields are UTF-8. Headers are APPENDED when a record is
 * dead-lettered again, and the header lookup keeps the last value of each,
 * which is the current one. The top-level exception is usually Spring's
 * ListenerExecutionFailedException wrapper, so the cause's class is the
 * error type when present. Retry topics add `retry_topic-attempts`.
 * https://docs.spring.io/spring-kafka/reference/kafka/annotation-error-handling.html#dead-letters
 */
export const springKafkaDialect: DialectReader = {
  dialect: 'spring-kafka',
  read({ headers }) {
    if (headers.namesWithPrefix('kafka_dlt-').length === 0) return null;
    const get = (name: string, max?: number) => text(headers.get(`kafka_dlt-${name}`), max);
    // A key deserialization failure writes only the key-exception headers.
    const valueFailed = get('exception-fqcn') !== null || get('exception-message') !== null;
    const exception = valueFailed ? 'exception' : 'key-exception';
    return {
      reason: 'error',
      errorType: get(`${exception}-cause-fqcn`) ?? get(`${exception}-fqcn`),
      errorMessage: get(`${exception}-message`, PARSE_LIMITS.errorMessage),
      stackTrace: get(`${exception}-stacktrace`, PARSE_LIMITS.stackTrace),
      source: {
        system: SYSTEM_KAFKA,
        destination: get('original-topic'),
        partition: count(headers.get('kafka_dlt-original-partition')),
        offset: int64(headers.get('kafka_dlt-original-offset')),
        consumerGroup: get('original-consumer-group'),
      },
      attempts: count(headers.get('retry_topic-attempts')) ?? count(headers.get('kafka_deliveryattempt')),
      details: {
        'spring.exception_fqcn': get(`${exception}-fqcn`),
        'spring.original_timestamp': time(headers.get('kafka_dlt-original-timestamp')),
        'spring.original_timestamp_type': get('original-timestamp-type', 32),
      },
    };
  },
};
