import { PARSE_LIMITS } from '../model.js';
import { SYSTEM_KAFKA } from '../system.js';
import { count, int64, text } from '../values.js';
import type { DialectReader } from './types.js';

/*
 * Kafka Connect's sink dead-letter queue with
 * `errors.deadletterqueue.context.headers.enable=true`: `__connect.errors.*`
 * headers, all UTF-8 text (numbers as decimal strings).
 * https://kafka.apache.org/documentation/#connect_errorreporting
 */
export const kafkaConnectDialect: DialectReader = {
  dialect: 'kafka-connect',
  read({ headers }) {
    if (headers.namesWithPrefix('__connect.errors.').length === 0) return null;
    const get = (name: string, max?: number) => text(headers.get(`__connect.errors.${name}`), max);
    return {
      reason: 'error',
      errorType: get('exception.class.name'),
      errorMessage: get('exception.message', PARSE_LIMITS.errorMessage),
      stackTrace: get('exception.stacktrace', PARSE_LIMITS.stackTrace),
      source: {
        system: SYSTEM_KAFKA,
        destination: get('topic'),
        partition: count(headers.get('__connect.errors.partition')),
        offset: int64(headers.get('__connect.errors.offset')),
      },
      details: {
        'connect.connector': get('connector.name'),
        'connect.task_id': get('task.id', 32),
        'connect.stage': get('stage', 64),
        'connect.class_name': get('class.name'),
      },
    };
  },
};
