import { SYSTEM_SQS } from '../system.js';
import { count, text, time } from '../values.js';
import type { DialectReader } from './types.js';

/*
 * SQS redrive (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html)
 * adds no error information, only system attributes: DeadLetterQueueSourceArn
 * on messages the redrive policy moved, ApproximateReceiveCount,
 * ApproximateFirstReceiveTimestamp and SentTimestamp (epoch ms as text).
 * Verified against ElasticMQ: a message moved after maxReceiveCount=1 is read
 * from the DLQ with ApproximateReceiveCount=2, because the receive that reads
 * it from the DLQ counts too (every further receive adds one more).
 */
export const sqsDialect: DialectReader = {
  dialect: 'sqs',
  read({ headers, system }) {
    const sourceArn = text(headers.get('DeadLetterQueueSourceArn'));
    const receives = count(headers.get('ApproximateReceiveCount'));
    if (sourceArn === null && !(system === SYSTEM_SQS && receives !== null)) return null;
    const queue = sourceArn?.split(':').pop() || null;
    return {
      // A redrive policy moves a message only when maxReceiveCount is exceeded.
      reason: sourceArn === null ? null : 'delivery_limit',
      source: {
        system: SYSTEM_SQS,
        destination: queue,
        // A redriven message keeps its MessageId; any other copy has a new one.
        messageId: sourceArn === null ? null : text(headers.get('MessageId'), 128),
      },
      attempts: receives === null ? null : sourceArn === null ? receives : Math.max(receives - 1, 1),
      // SQS records no failure times; the first receive is when the first failing attempt began.
      firstFailedAt: time(headers.get('ApproximateFirstReceiveTimestamp')),
      details: {
        'sqs.source_arn': sourceArn,
        'sqs.approximate_receive_count': receives === null ? null : String(receives),
        'sqs.sent_at': time(headers.get('SentTimestamp')),
      },
    };
  },
};
