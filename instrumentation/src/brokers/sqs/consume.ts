import { propagation, type Link, type SpanContext } from '@opentelemetry/api';
import type { Message, ReceiveMessageCommandOutput } from '@aws-sdk/client-sqs';
import type { Delivery } from '../../messaging/delivery.js';
import { beginReceive, processMessage, type ReceiveOperation } from '../../messaging/consume.js';
import type { MessagingOperation } from '../../messaging/operation.js';
import type { MessagingRuntime } from '../../messaging/runtime.js';
import { recordSettle } from '../../messaging/settle.js';
import { TwoGenerationMap } from '../../messaging/two-generation-map.js';
import { PATHWAY_HEADER } from '../../pathway/header.js';
import { TRACEPARENT, TRACESTATE } from '../../propagation/carrier.js';
import { SQS_PACKED_CONTEXT_ATTRIBUTE, sqsAttributesCarrier } from './attributes.js';
import { ATTR_MESSAGING_BATCH_MESSAGE_COUNT, ATTR_MESSAGING_MESSAGE_ID } from '../../semconv.js';
import { guarded, type MessagingSpanInfo } from '../../spans.js';
import { MESSAGING_SYSTEM_AWS_SQS, sqsOperationOf, sqsQueueName, type SqsCommandLike } from './commands.js';

/*
 * The consuming half of the SQS wrapper: ReceiveMessage (receive span, and
 * the request amended so the attributes we read come back), the per-message
 * process helper, and settlement (DeleteMessage, ChangeMessageVisibility).
 */

interface Tracked {
  runtime: MessagingRuntime;
  queue: string;
  delivery: Delivery;
}

// Messages received through a wrapped client, so processSqsMessage can find
// how they were counted (and never counts them twice).
const tracked = new WeakMap<object, Tracked>();

// Receipt handle → the message's creation context, so a later DeleteMessage
// (which only carries the handle) can link its settle span to the producer.
// Bounded: messages that are never deleted (visibility timeouts, crashes)
// must not grow memory; each is kept for at least MAX_RECEIPTS newer ones.
const MAX_RECEIPTS = 10_000;
const receipts = new TwoGenerationMap<string, SpanContext>(MAX_RECEIPTS);
function remember(handle: unknown, creation: SpanContext | undefined): void {
  if (typeof handle === 'string' && creation) receipts.set(handle, creation);
}

const includesAll = (names: unknown) =>
  Array.isArray(names) && names.some((name) => name === 'All' || name === '.*');

function merged(names: unknown, wanted: readonly string[]): string[] {
  const list = Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  for (const name of wanted) if (!list.includes(name)) list.push(name);
  return list;
}

/** The ReceiveMessage input with the attribute names we read added (a copy; the caller's is untouched). */
export function receiveInput(input: Record<string, unknown>): Record<string, unknown> {
  const copy = Object.assign({}, input);
  if (!includesAll(input.MessageAttributeNames)) {
    // Whatever the registered propagator reads (traceparent, tracestate,
    // baggage, b3, ...), plus our pathway header and the packed fallback.
    const fields = guarded('propagation fields', () => propagation.fields(), [TRACEPARENT, TRACESTATE]);
    copy.MessageAttributeNames = merged(input.MessageAttributeNames, [
      ...fields,
      PATHWAY_HEADER,
      SQS_PACKED_CONTEXT_ATTRIBUTE,
    ]);
  }
  // ApproximateReceiveCount > 1 marks a redelivery; AWSTraceHeader carries an
  // X-Ray producer's context. `AttributeNames` is the deprecated spelling.
  if (!includesAll(input.MessageSystemAttributeNames) && !includesAll(input.AttributeNames)) {
    copy.MessageSystemAttributeNames = merged(input.MessageSystemAttributeNames, [
      'ApproximateReceiveCount',
      'AWSTraceHeader',
    ]);
  }
  return copy;
}

const redelivered = (message: Message) => Number(message.Attributes?.ApproximateReceiveCount ?? '1') > 1;

function queueInfo(runtime: MessagingRuntime, queue: string): MessagingSpanInfo {
  return { system: MESSAGING_SYSTEM_AWS_SQS, destination: queue, server: runtime.server };
}

/** A started receive for a ReceiveMessage command, with the amended input and the response handler. */
export function receiveOperation(
  runtime: MessagingRuntime,
  command: SqsCommandLike,
):
  | { operation: ReceiveOperation; input: Record<string, unknown>; onResult: (output: unknown) => void }
  | undefined {
  const input = command.input as Record<string, unknown>;
  const queue = sqsQueueName(input.QueueUrl);
  if (queue === undefined) return undefined;
  const operation = beginReceive(runtime, queueInfo(runtime, queue));
  return {
    operation,
    input: receiveInput(input),
    onResult: (output) => {
      const messages = (output as ReceiveMessageCommandOutput | undefined)?.Messages ?? [];
      const deliveries = operation.received(
        messages.map((message) => sqsAttributesCarrier(message.MessageAttributes, message.Attributes)),
        messages.map((message) => ({ redelivered: redelivered(message) })),
      );
      messages.forEach((message, i) => {
        const delivery = deliveries[i];
        if (!delivery || typeof message !== 'object' || message === null) return;
        tracked.set(message, { runtime, queue, delivery });
        remember(message.ReceiptHandle, delivery.creationContext);
      });
    },
  };
}

/** A started settle span for DeleteMessage(Batch) / ChangeMessageVisibility(Batch). */
export function settleOperation(
  runtime: MessagingRuntime,
  command: SqsCommandLike,
): MessagingOperation | undefined {
  const operationType = sqsOperationOf(command);
  const input = command.input as Record<string, unknown>;
  const queue = sqsQueueName(input.QueueUrl);
  if (queue === undefined || operationType === undefined) return undefined;
  const batch = operationType.endsWith('Batch');
  const handles: unknown[] = batch
    ? Array.isArray(input.Entries)
      ? (input.Entries as { ReceiptHandle?: unknown }[]).map((entry) => entry?.ReceiptHandle)
      : []
    : [input.ReceiptHandle];
  const creations = handles.map((handle) => (typeof handle === 'string' ? receipts.get(handle) : undefined));
  const info = queueInfo(runtime, queue);
  if (batch) {
    info.attributes = { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: handles.length };
    // One settle span for the batch, linked to every producer it settles.
    info.links = creations
      .filter((c): c is SpanContext => c !== undefined)
      .map((c): Link => ({ context: c }));
  }
  const deletes = operationType.startsWith('Delete');
  if (deletes) for (const handle of handles) if (typeof handle === 'string') receipts.delete(handle);
  return recordSettle(
    runtime,
    info,
    deletes ? 'delete' : 'change_visibility',
    batch ? undefined : creations[0],
  );
}

/**
 * Runs `handler` for a message received through a wrapped `SQSClient` inside
 * its own CONSUMER `process {queue}` span, linked to (or, per parentMode,
 * parented on) the producer, so that sends made in the handler continue its
 * pathway. SQS is pull-only, so this is where per-message processing time
 * comes from. For a message the wrapper did not receive it just calls
 * `handler`. Returns what `handler` returns; its errors are recorded and
 * rethrown unchanged.
 */
export function processSqsMessage<T>(message: Message, handler: () => T): T {
  const state = guarded('sqs message lookup', () => tracked.get(message), undefined);
  if (!state) return handler();
  const info = queueInfo(state.runtime, state.queue);
  if (typeof message.MessageId === 'string')
    info.attributes = { [ATTR_MESSAGING_MESSAGE_ID]: message.MessageId };
  return processMessage(
    state.runtime,
    info,
    sqsAttributesCarrier(message.MessageAttributes, message.Attributes),
    handler,
    { delivery: state.delivery },
  );
}
