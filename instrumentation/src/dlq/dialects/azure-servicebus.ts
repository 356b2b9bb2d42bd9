import { PARSE_LIMITS } from '../model.js';
import { SYSTEM_SERVICEBUS } from '../system.js';
import { count, text } from '../values.js';
import type { DialectReader } from './types.js';

/*
 * Azure Service Bus dead-letter sub-queues: `DeadLetterReason` and
 * `DeadLetterErrorDescription` application properties (set by the broker or
 * by the application's deadLetter call), `DeadLetterSource` when the message
 * was auto-forwarded, and the broker's `DeliveryCount`.
 * https://learn.microsoft.com/azure/service-bus-messaging/service-bus-dead-letter-queues
 */

const BROKER_REASONS: Record<string, string> = {
  maxdeliverycountexceeded: 'delivery_limit',
  ttlexpiredexception: 'expired',
};

const SUBQUEUE = /\/\$deadletterqueue$/i;

export const azureServiceBusDialect: DialectReader = {
  dialect: 'azure-servicebus',
  read({ headers, destination }) {
    const reason = text(headers.get('DeadLetterReason'), 256);
    const description = text(headers.get('DeadLetterErrorDescription'), PARSE_LIMITS.errorMessage);
    if (reason === null && description === null) return null;
    const entity = destination && SUBQUEUE.test(destination) ? destination.replace(SUBQUEUE, '') : null;
    return {
      reason: reason === null ? null : (BROKER_REASONS[reason.toLowerCase()] ?? reason),
      errorMessage: description,
      source: {
        system: SYSTEM_SERVICEBUS,
        destination: text(headers.get('DeadLetterSource')) ?? entity,
      },
      attempts: count(headers.get('DeliveryCount')),
      details: { 'azure.dead_letter_reason': reason },
    };
  },
};
