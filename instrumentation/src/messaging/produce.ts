import { context, SpanKind, trace, type Attributes, type Link } from '@opentelemetry/api';
import { getConsumedPathway } from '../pathway/context.js';
import { pathwayHash } from '../pathway/hash.js';
import { formatPathway, PATHWAY_HEADER } from '../pathway/header.js';
import {
  extractSpanContext,
  injectContext,
  TRACEPARENT,
  type MessageCarrier,
} from '../propagation/carrier.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_SYSTEM,
  ATTR_PATHWAY_HASH,
  ATTR_PATHWAY_PARENT_HASH,
  MESSAGING_OPERATION_TYPE_CREATE,
  MESSAGING_OPERATION_TYPE_SEND,
} from '../semconv.js';
import {
  assignAttributes,
  errorType,
  guarded,
  metricAttributes,
  startMessagingSpan,
  type MessagingSpanInfo,
} from '../spans.js';
import { Operation, type MessagingOperation } from './operation.js';
import type { MessagingRuntime } from './runtime.js';

/** What an adapter knows about one send call to one destination. */
export interface SendInfo extends MessagingSpanInfo {
  /**
   * Per-message attributes (message id, key, ...), index-aligned with the
   * carriers. On a single-message send they go on the send span; on a batch,
   * on each message's create span.
   */
  messageAttributes?: readonly (Attributes | undefined)[];
}

/** A started send; run the client call with `run` (or end it with `end`/`fail`). */
export interface SendOperation extends MessagingOperation {
  /** How many messages the call sends (the `messaging.client.sent.messages` increment). */
  readonly messageCount: number;
}

const MAX_HOPS = 9999;

interface Pathway {
  header: string;
  hash: string;
  parentHash: string;
}

// PATHWAY.md: continue the pathway being consumed in this context (a send
// inside a process span), or start one here.
function nextPathway(runtime: MessagingRuntime, info: SendInfo, nowMs: number): Pathway {
  const consumed = getConsumedPathway(context.active());
  const parentHash = consumed?.hash ?? '';
  // Generated destination names (reply queues) would give each one its own
  // pathway, so they share one placeholder in the hash.
  const destination = info.anonymous ? '(anonymous)' : info.destination;
  const hash = pathwayHash(parentHash, runtime.serviceName, info.system, destination);
  const header = formatPathway({
    hash,
    originMs: consumed?.originMs ?? nowMs,
    sendMs: nowMs,
    hops: consumed ? Math.min(consumed.hops + 1, MAX_HOPS) : 1,
  });
  return { header, hash, parentHash };
}

/**
 * Starts a send of `carriers` (one per message, all to `info.destination`):
 * - one message: a `send` span (PRODUCER) whose context goes into the message;
 * - several (a batch API): a `create` span (PRODUCER) per message whose
 *   context goes into that message, and one `send` span (CLIENT) linking to
 *   them, per messaging-spans.md; with `batchCreateSpans: false`, one PRODUCER
 *   send span whose context goes into every message.
 * A message that already has a `traceparent` keeps it untouched: the send
 * span links to it and it gets no create span. Every message gets the
 * `signalbox-pathway` header. Metrics are recorded when the operation ends.
 * Never throws: on an internal failure the send still runs, uninstrumented.
 */
export function beginSend(
  runtime: MessagingRuntime,
  info: SendInfo,
  carriers: readonly MessageCarrier[],
): SendOperation {
  const ambient = context.active();
  const count = carriers.length;
  const pathway = runtime.pathway
    ? guarded('pathway header', () => nextPathway(runtime, info, runtime.now()), undefined)
    : undefined;
  const pathwayAttributes: Attributes | undefined = pathway && {
    [ATTR_PATHWAY_HASH]: pathway.hash,
    [ATTR_PATHWAY_PARENT_HASH]: pathway.parentHash,
  };

  // Which messages already carry a creation context chosen by the user or an
  // upstream library: those are linked, never re-injected.
  const links: Link[] = [];
  const preserved = carriers.map((carrier) =>
    guarded(
      'read user traceparent',
      () => {
        const value = carrier.get(TRACEPARENT);
        // Present but unreadable (oversized, binary, an odd type) still counts
        // as the user's: we never replace what we cannot read.
        const present =
          (value !== undefined && value !== '') ||
          carrier.keys().some((key) => key.toLowerCase() === TRACEPARENT);
        if (!present) return false;
        const userContext = extractSpanContext(carrier);
        if (userContext) links.push({ context: userContext });
        return true;
      },
      false,
    ),
  );

  const withCreateSpans = count > 1 && runtime.batchCreateSpans;
  if (withCreateSpans) {
    carriers.forEach((carrier, i) => {
      if (preserved[i]) return;
      guarded('create span', () => {
        const create = startMessagingSpan(
          runtime.tracer,
          Object.assign({}, info, {
            attributes: assignAttributes(assignAttributes({}, info.attributes), info.messageAttributes?.[i]),
          }),
          MESSAGING_OPERATION_TYPE_CREATE,
          SpanKind.PRODUCER,
          ambient,
          {
            links: [],
            semconv: runtime.semconv,
            ...(pathwayAttributes && { attributes: pathwayAttributes }),
          },
        );
        injectContext(carrier, trace.setSpan(ambient, create));
        links.push({ context: create.spanContext() });
        create.end();
      });
    });
  }

  // The send span is PRODUCER only when its own context is the messages'
  // creation context (the kind table in messaging-spans.md); otherwise CLIENT.
  const injectsSendContext = !withCreateSpans && preserved.some((kept) => !kept);
  const attributes = assignAttributes({}, pathwayAttributes);
  if (count > 1) attributes[ATTR_MESSAGING_BATCH_MESSAGE_COUNT] = count;
  else assignAttributes(attributes, info.messageAttributes?.[0]);
  const span = startMessagingSpan(
    runtime.tracer,
    info,
    MESSAGING_OPERATION_TYPE_SEND,
    injectsSendContext ? SpanKind.PRODUCER : SpanKind.CLIENT,
    ambient,
    { links: [...(info.links ?? []), ...links], attributes, semconv: runtime.semconv },
  );
  const sendContext = trace.setSpan(ambient, span);

  carriers.forEach((carrier, i) => {
    guarded('inject message headers', () => {
      if (injectsSendContext && !preserved[i]) injectContext(carrier, sendContext);
      // Ours, describing this edge: replaces a header copied from a consumed message.
      if (pathway) carrier.set(PATHWAY_HEADER, pathway.header);
    });
  });

  const operation = new Operation(span, sendContext, (error, seconds) => {
    const instruments = runtime.instruments;
    const metric = metricAttributes(info, MESSAGING_OPERATION_TYPE_SEND);
    if (error) metric[ATTR_ERROR_TYPE] = errorType(error.value);
    instruments.operationDuration.record(seconds, metric);
    instruments.sentMessages.add(count, metric);
    if (pathway && !error && count > 0) {
      const sent: Attributes = {};
      sent[ATTR_PATHWAY_HASH] = pathway.hash;
      sent[ATTR_PATHWAY_PARENT_HASH] = pathway.parentHash;
      sent[ATTR_MESSAGING_SYSTEM] = info.system;
      if (!info.anonymous) sent[ATTR_MESSAGING_DESTINATION_NAME] = info.destination;
      instruments.pathwaySent.add(count, sent);
    }
  });
  return Object.assign(operation, { messageCount: count });
}
