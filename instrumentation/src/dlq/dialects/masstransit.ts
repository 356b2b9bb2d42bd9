import { PARSE_LIMITS } from '../model.js';
import { count, text, time } from '../values.js';
import type { DialectReader } from './types.js';

/*
 * MassTransit moves faulted messages to `<queue>_error` (and unconsumed ones
 * to `<queue>_skipped`) with `MT-Reason` and `MT-Fault-*` headers.
 * https://masstransit.io/documentation/concepts/exceptions#error-queues
 */

// `rabbitmq://host/vhost/orders?bind=true` → `orders`.
function queueFromAddress(address: string | null): string | null {
  if (address === null) return null;
  try {
    const segments = new URL(address).pathname.split('/').filter((part) => part !== '');
    return text(decodeURIComponent(segments[segments.length - 1] ?? ''));
  } catch {
    return null;
  }
}

const SUFFIX = /_(error|skipped)$/;

export const masstransitDialect: DialectReader = {
  dialect: 'masstransit',
  read({ headers, destination }) {
    const fault = headers.namesWithPrefix('mt-fault-').length > 0;
    const mtReason = text(headers.get('MT-Reason'), 64)?.toLowerCase() ?? null;
    if (!fault && mtReason === null) return null;
    const get = (name: string, max?: number) => text(headers.get(`MT-Fault-${name}`), max);
    const inputAddress = get('InputAddress');
    const retries = count(headers.get('MT-Fault-RetryCount'));
    // The error queue is named after the input queue: `orders_error` ← `orders`.
    const fromQueueName = destination && SUFFIX.test(destination) ? destination.replace(SUFFIX, '') : null;
    return {
      reason: mtReason === null || mtReason === 'fault' ? 'error' : mtReason,
      errorType: get('ExceptionType'),
      errorMessage: get('Message', PARSE_LIMITS.errorMessage),
      stackTrace: get('StackTrace', PARSE_LIMITS.stackTrace),
      source: { destination: queueFromAddress(inputAddress) ?? fromQueueName },
      // RetryCount counts the in-process retries after the first try.
      attempts: retries === null ? null : retries + 1,
      lastFailedAt: time(headers.get('MT-Fault-Timestamp')),
      details: {
        'masstransit.input_address': inputAddress,
        'masstransit.message_type': get('MessageType') ?? text(headers.get('MT-MessageType')),
        'masstransit.consumer_type': get('ConsumerType'),
        'masstransit.redelivery_count': get('RedeliveryCount', 16),
        'masstransit.host_machine': text(headers.get('MT-Host-MachineName')),
      },
    };
  },
};
