/*
 * Recognising SQS commands without importing the SDK (it is a peer we only
 * `import type`): by the operation schema every v3 command carries, else by
 * class name.
 */

/** `messaging.system` for Amazon SQS (a well-known value in the conventions). */
export const MESSAGING_SYSTEM_AWS_SQS = 'aws_sqs';

/** What the wrapper needs from an AWS SDK v3 command. */
export interface SqsCommandLike {
  input: unknown;
  schema?: unknown;
  constructor: unknown;
}

export type SqsOperation =
  | 'SendMessage'
  | 'SendMessageBatch'
  | 'ReceiveMessage'
  | 'DeleteMessage'
  | 'DeleteMessageBatch'
  | 'ChangeMessageVisibility'
  | 'ChangeMessageVisibilityBatch';

const OPERATIONS: ReadonlySet<string> = new Set<SqsOperation>([
  'SendMessage',
  'SendMessageBatch',
  'ReceiveMessage',
  'DeleteMessage',
  'DeleteMessageBatch',
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
]);

/** The SQS operation `command` performs, or undefined for any other command. */
export function sqsOperationOf(command: unknown): SqsOperation | undefined {
  if (typeof command !== 'object' || command === null) return undefined;
  const { schema, input } = command as SqsCommandLike;
  if (typeof input !== 'object' || input === null) return undefined;
  let name: unknown;
  // Smithy operation schema: [9, namespace, operation name, ...].
  if (Array.isArray(schema) && schema[0] === 9) {
    if (schema[1] !== 'com.amazonaws.sqs') return undefined;
    name = schema[2];
  } else {
    const ctorName: unknown = (command.constructor as { name?: unknown } | undefined)?.name;
    name = typeof ctorName === 'string' && ctorName.endsWith('Command') ? ctorName.slice(0, -7) : undefined;
  }
  return typeof name === 'string' && OPERATIONS.has(name) ? (name as SqsOperation) : undefined;
}

/**
 * The queue name of a queue URL (`https://sqs.eu-west-1.amazonaws.com/123456789012/orders`
 * → `orders`), the destination name the conventions ask for. Undefined when
 * there is no usable name.
 */
export function sqsQueueName(queueUrl: unknown): string | undefined {
  if (typeof queueUrl !== 'string' || queueUrl === '' || queueUrl.length > 2048) return undefined;
  const path = queueUrl.split(/[?#]/, 1)[0] ?? '';
  const name = path
    .split('/')
    .filter((part) => part !== '')
    .pop();
  return name === undefined || name === '' ? undefined : name;
}
