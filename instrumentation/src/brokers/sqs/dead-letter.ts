import { diag } from '@opentelemetry/api';
import type {
  Message,
  MessageAttributeValue,
  SendMessageCommandOutput,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { SQS_DLQ_ATTRIBUTE } from '../../dlq/headers.js';
import { prepareDeadLetter, type DeadLetterOptions, type DeadLetterResult } from '../../dlq/prepare.js';
import { SYSTEM_SQS } from '../../dlq/system.js';
import { withDeadLetterTelemetry } from '../../dlq/telemetry.js';
import { count } from '../../dlq/values.js';

/** Options of {@link deadLetterSqs}. */
export interface SqsDeadLetterOptions extends DeadLetterOptions {
  /** URL of the queue the message was received from. */
  queueUrl: string;
  /** URL of the dead-letter queue. */
  deadLetterQueueUrl: string;
  /** FIFO dead-letter queues: message group (default: the original's MessageGroupId attribute). */
  messageGroupId?: string;
}

export interface SqsDeadLetterResult extends DeadLetterResult {
  /** MessageId of the copy. */
  messageId: string | undefined;
  /**
   * False when the original already used all 10 message attributes: the copy
   * keeps them and carries no Signalbox attribute (a warning is logged).
   */
  attached: boolean;
}

/** SQS's limit on message attributes per message. */
const MAX_ATTRIBUTES = 10;

const queueName = (url: string) => url.split('?')[0]?.split('/').filter(Boolean).pop() ?? url;

// Only what SendMessage accepts: the List variants are reserved by AWS and rejected.
function copyAttributes(message: Message): Record<string, MessageAttributeValue> {
  const copy: Record<string, MessageAttributeValue> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    if (name === SQS_DLQ_ATTRIBUTE || !value.DataType) continue;
    const attribute: MessageAttributeValue = { DataType: value.DataType };
    if (value.StringValue !== undefined) attribute.StringValue = value.StringValue;
    if (value.BinaryValue !== undefined) attribute.BinaryValue = value.BinaryValue;
    copy[name] = attribute;
  }
  return copy;
}

/**
 * Sends a failed SQS message to a dead-letter queue: same body, its message
 * attributes, and the Signalbox header set packed into ONE String attribute
 * `signalbox-dlq` (JSON), because SQS allows only 10 attributes. If the
 * original already has 10, its attributes win and the copy carries no
 * Signalbox attribute (`attached: false`, warned). An X-Ray `AWSTraceHeader`
 * is kept. On a FIFO dead-letter queue the original's MessageId is the
 * deduplication id, so retrying this call never duplicates the copy.
 *
 * Receive with `MessageAttributeNames: ['All']` and
 * `MessageSystemAttributeNames: ['All']` so there is something to copy.
 * Delete the original only after this resolves: it rejects with the SQS
 * error when the copy was not stored.
 */
export async function deadLetterSqs(
  client: SQSClient,
  message: Message,
  options: SqsDeadLetterOptions,
): Promise<SqsDeadLetterResult> {
  if (typeof message.Body !== 'string') {
    throw new TypeError(
      'deadLetterSqs: the message has no Body; pass the Message returned by ReceiveMessage',
    );
  }
  const body = message.Body;
  const system = message.Attributes ?? {};
  const prepared = prepareDeadLetter(
    {
      system: SYSTEM_SQS,
      destination: queueName(options.queueUrl),
      messageId: message.MessageId,
      attributes: message,
      deliveryCount: count(system.ApproximateReceiveCount),
    },
    options,
  );
  const attributes = copyAttributes(message);
  const attached = Object.keys(attributes).length < MAX_ATTRIBUTES;
  if (attached) {
    attributes[SQS_DLQ_ATTRIBUTE] = { DataType: 'String', StringValue: JSON.stringify(prepared.headers) };
  } else {
    diag.warn(
      `@signalbox/instrumentation: the message already has ${MAX_ATTRIBUTES} SQS attributes; its dead-letter copy keeps them and carries no '${SQS_DLQ_ATTRIBUTE}' attribute`,
    );
  }
  const fifo = options.deadLetterQueueUrl.endsWith('.fifo');
  const groupId = options.messageGroupId ?? system.MessageGroupId;
  const dlq = options.deadLetterQueueUrl;

  const output = await withDeadLetterTelemetry<SendMessageCommandOutput>(
    options,
    prepared.record,
    dlq,
    async () => {
      // A value import would make the AWS SDK a hard dependency of the whole package.
      const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
      return client.send(
        new SendMessageCommand({
          QueueUrl: dlq,
          MessageBody: body,
          MessageAttributes: attributes,
          ...(system.AWSTraceHeader
            ? {
                MessageSystemAttributes: {
                  AWSTraceHeader: { DataType: 'String', StringValue: system.AWSTraceHeader },
                },
              }
            : {}),
          ...(fifo ? { MessageGroupId: groupId ?? prepared.record.destination } : {}),
          ...(fifo ? { MessageDeduplicationId: message.MessageId ?? prepared.record.id } : {}),
        }),
      );
    },
  );
  return {
    id: prepared.record.id,
    deadLetterDestination: dlq,
    headers: prepared.headers,
    messageId: output.MessageId,
    attached,
  };
}
