import { PARSE_LIMITS } from '../model.js';
import { text, time } from '../values.js';
import type { DialectReader } from './types.js';

/*
 * NServiceBus sends failed messages to its error queue with
 * `NServiceBus.FailedQ`, `NServiceBus.TimeOfFailure` (format
 * `yyyy-MM-dd HH:mm:ss:ffffff Z`) and `NServiceBus.ExceptionInfo.*`.
 * Every NServiceBus message has other `NServiceBus.*` headers, so only the
 * failure ones mark the dialect.
 * https://docs.particular.net/nservicebus/messaging/headers#error-forwarding-headers
 */
export const nservicebusDialect: DialectReader = {
  dialect: 'nservicebus',
  read({ headers }) {
    const get = (name: string, max?: number) => text(headers.get(`NServiceBus.${name}`), max);
    const failedQ = get('FailedQ');
    const failed =
      failedQ !== null ||
      get('TimeOfFailure') !== null ||
      headers.namesWithPrefix('nservicebus.exceptioninfo.').length > 0;
    if (!failed) return null;
    return {
      reason: 'error',
      errorType: get('ExceptionInfo.ExceptionType'),
      errorMessage: get('ExceptionInfo.Message', PARSE_LIMITS.errorMessage),
      stackTrace: get('ExceptionInfo.StackTrace', PARSE_LIMITS.stackTrace),
      source: {
        // MSMQ-era addresses are `queue@machine`.
        destination: failedQ?.split('@')[0] || null,
        messageId: get('MessageId'),
        consumerGroup: get('ProcessingEndpoint'),
      },
      lastFailedAt: time(headers.get('NServiceBus.TimeOfFailure')),
      details: {
        'nservicebus.processing_machine': get('ProcessingMachine'),
        'nservicebus.inner_exception_type': get('ExceptionInfo.InnerExceptionType'),
        'nservicebus.exception_source': get('ExceptionInfo.Source'),
        'nservicebus.delayed_retries': get('Retries', 16),
      },
    };
  },
};
