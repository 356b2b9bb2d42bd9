import { context } from '@opentelemetry/api';
import type { MessageAttributeValue, SendMessageCommandOutput, SQSClient } from '@aws-sdk/client-sqs';
import { bypassContrib, patchedOnChain, suppressOtherInstrumentation } from '../../messaging/coexist.js';
import { wrapOnce, wrapperOf } from '../../messaging/wrap-once.js';
import { delegate } from '../../delegate.js';
import type { MessagingOperation } from '../../messaging/operation.js';
import { beginSend } from '../../messaging/produce.js';
import { resolveRuntime, type MessagingRuntime } from '../../messaging/runtime.js';
import type { MessagingInstrumentationOptions } from '../../options.js';
import { stageSqsAttributes, type StagedSqsAttributes } from './attributes.js';
import { ATTR_MESSAGING_MESSAGE_ID } from '../../semconv.js';
import { guarded } from '../../spans.js';
import { receiveOperation, settleOperation } from './consume.js';
import { MESSAGING_SYSTEM_AWS_SQS, sqsOperationOf, sqsQueueName, type SqsCommandLike } from './commands.js';

export { processSqsMessage } from './consume.js';

/*
 * AWS SDK v3 has one entry point, `client.send(command)`, so the wrapper
 * overrides `send` and recognises the SQS operations by the command's
 * operation schema (`[9, 'com.amazonaws.sqs', 'SendMessage', …]`, which
 * survives minification), else by its class name. Every other command, and
 * every command sent through another client, passes through untouched.
 */

type SendFn = (command: SqsCommandLike, ...rest: unknown[]) => unknown;

/** A new command of the same class with `input` replaced: the caller's command may be sent again. */
function withInput(command: SqsCommandLike, input: Record<string, unknown>): SqsCommandLike {
  const Ctor = command.constructor as new (input: Record<string, unknown>) => SqsCommandLike;
  return new Ctor(input);
}

interface Prepared {
  operation: MessagingOperation;
  command: SqsCommandLike;
  /** Reads the response into the span (message ids) and hands received messages to the consume side. */
  onResult?: (output: unknown) => void;
}

function prepareSend(
  runtime: MessagingRuntime,
  command: SqsCommandLike,
  batch: boolean,
): Prepared | undefined {
  const input = command.input as Record<string, unknown>;
  const queue = sqsQueueName(input.QueueUrl);
  if (queue === undefined) return undefined;
  const entries: Record<string, unknown>[] = batch
    ? Array.isArray(input.Entries)
      ? (input.Entries as Record<string, unknown>[])
      : []
    : [input];
  const staged: StagedSqsAttributes[] = entries.map((entry) =>
    stageSqsAttributes(entry.MessageAttributes as Record<string, MessageAttributeValue> | undefined),
  );
  const operation = beginSend(
    runtime,
    { system: MESSAGING_SYSTEM_AWS_SQS, destination: queue, server: runtime.server },
    staged.map((stage) => stage.carrier),
  );
  const where = `a message to SQS queue ${queue}`;
  const committed = entries.map((entry, i) => {
    const attributes = staged[i]?.commit(where).attributes;
    return attributes === undefined ? entry : Object.assign({}, entry, { MessageAttributes: attributes });
  });
  const newInput = batch ? Object.assign({}, input, { Entries: committed }) : (committed[0] ?? input);
  return {
    operation,
    command: withInput(command, newInput),
    // The id is known only from the response. A batch's ids would belong to
    // its create spans, which have already ended, so only single sends get one.
    onResult: batch
      ? undefined
      : (output) => {
          const id = (output as SendMessageCommandOutput | undefined)?.MessageId;
          if (typeof id === 'string') operation.span.setAttribute(ATTR_MESSAGING_MESSAGE_ID, id);
        },
  };
}

function prepare(runtime: MessagingRuntime, command: SqsCommandLike): Prepared | undefined {
  switch (sqsOperationOf(command)) {
    case 'SendMessage':
      return prepareSend(runtime, command, false);
    case 'SendMessageBatch':
      return prepareSend(runtime, command, true);
    case 'ReceiveMessage': {
      const receive = receiveOperation(runtime, command);
      return receive && { ...receive, command: withInput(command, receive.input) };
    }
    case 'DeleteMessage':
    case 'DeleteMessageBatch':
    case 'ChangeMessageVisibility':
    case 'ChangeMessageVisibilityBatch': {
      const operation = settleOperation(runtime, command);
      return operation && { operation, command };
    }
    default:
      return undefined;
  }
}

function sendInstrumented(
  runtime: MessagingRuntime,
  send: SendFn,
  suppress: boolean,
  command: SqsCommandLike,
  rest: unknown[],
): unknown {
  const prepared = guarded('sqs instrumentation', () => prepare(runtime, command), undefined);
  if (!prepared) return send(command, ...rest);
  const { operation, onResult } = prepared;
  const record = (output: unknown) => guarded('sqs result instrumentation', () => onResult?.(output));
  // The client call runs in the operation's context; with contrib's aws-sdk
  // instrumentation also registered (it patches below any wrapper, in the
  // middleware stack), tracing is suppressed for the call so that message
  // gets one span and one traceparent: ours.
  const callContext = suppress ? suppressOtherInstrumentation(operation.context) : operation.context;
  const callback = rest.length > 0 && typeof rest[rest.length - 1] === 'function' ? rest.at(-1) : undefined;
  if (callback) {
    // Callback form `send(command, [options,] cb)`: end the operation when
    // the SDK calls back, then hand over exactly what it passed.
    const done = (err: unknown, output: unknown) => {
      if (err) operation.fail(err);
      else {
        record(output);
        operation.end();
      }
      return (callback as (err: unknown, output: unknown) => unknown)(err, output);
    };
    try {
      return context.with(callContext, () => send(prepared.command, ...rest.slice(0, -1), done));
    } catch (err) {
      operation.fail(err);
      throw err;
    }
  }
  return operation.run(() =>
    context.with(callContext, () =>
      (send(prepared.command, ...rest) as Promise<unknown>).then((output) => {
        record(output);
        return output;
      }),
    ),
  );
}

/** Options of {@link instrumentSqsClient}. */
export type SqsInstrumentationOptions = MessagingInstrumentationOptions;

/**
 * Wraps an AWS SDK v3 `SQSClient` so that `send` instruments the SQS message
 * operations, without patching the client or the SDK:
 * - `SendMessage` / `SendMessageBatch`: a `send {queue}` span (plus a `create`
 *   span per entry for batches), with trace context and the
 *   `signalbox-pathway` header added as message attributes within SQS's
 *   10-attribute budget (packed into one `signalbox-context` attribute, with a
 *   warning, when they do not fit);
 * - `ReceiveMessage`: a CLIENT `receive {queue}` span linked to each message's
 *   producer; the message attribute names our headers need are added to the
 *   request (your names are kept; `All` is left as is), as are the system
 *   attributes `ApproximateReceiveCount` (redeliveries) and `AWSTraceHeader`;
 * - `DeleteMessage(Batch)` / `ChangeMessageVisibility(Batch)`: CLIENT settle
 *   spans `delete {queue}` / `change_visibility {queue}`.
 * Run each received message's handler with {@link processSqsMessage} for its
 * process span. Other commands pass through unchanged.
 */
export function instrumentSqsClient<T extends SQSClient>(client: T, options?: SqsInstrumentationOptions): T {
  return wrapOnce(client, 'SQS client', () => {
    const runtime = resolveRuntime(options);
    const send = bypassContrib(client as unknown as { send: SendFn }, 'send');
    const suppress = patchedOnChain(client, ['send']);
    return delegate<SQSClient>(client, {
      ...wrapperOf(client),
      send: ((command: SqsCommandLike, ...rest: unknown[]) =>
        sendInstrumented(runtime, send, suppress, command, rest)) as unknown as SQSClient['send'],
    }) as T;
  });
}
