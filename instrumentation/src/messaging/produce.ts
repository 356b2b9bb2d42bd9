import {
  context,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import { getConsumedPathway } from '../pathway/context.js';
import { pathwayHash } from '../pathway/hash.js';
import { formatPathway, PATHWAY_HEADER } from '../pathway/header.js';
import {
  extractSpanContext,
  injectUnchecked,
  TRACEPARENT,
  type MessageCarrier,
} from '../propagation/carrier.js';
import {
  ATTR_MESSAGING_BATCH_MESSAGE_COUNT,
  ATTR_PATHWAY_HASH,
  ATTR_PATHWAY_PARENT_HASH,
  MESSAGING_OPERATION_TYPE_CREATE,
  MESSAGING_OPERATION_TYPE_SEND,
} from '../semconv.js';
import { mergeAttributes, NO_LINKS, startRouteSpan, warnFailure, type MessagingSpanInfo } from '../spans.js';
import { Operation, type MessagingOperation } from './operation.js';
import { sentPathwaySeries, withErrorType, type Route } from './routes.js';
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
  /** Span attributes (hash, parent hash); shared by the route, never modified. */
  attributes: Attributes;
}

// PATHWAY.md: continue the pathway being consumed in this context (a send
// inside a process span), or start one here. The hash and its span
// attributes are cached per route and parent, so per message this is one
// context read and one header string.
function nextPathway(runtime: MessagingRuntime, info: SendInfo, route: Route, ambient: Context): Pathway {
  const consumed = getConsumedPathway(ambient);
  const parentHash = consumed?.hash ?? '';
  const hashes = (route.pathwayHashes ??= new Map<string, { hash: string; attributes: Attributes }>());
  let cached = hashes.get(parentHash);
  if (cached === undefined) {
    // Generated destination names (reply queues) would give each one its own
    // pathway, so they share one placeholder in the hash.
    const destination = info.anonymous ? '(anonymous)' : info.destination;
    const hash = pathwayHash(parentHash, runtime.serviceName, info.system, destination);
    cached = { hash, attributes: { [ATTR_PATHWAY_HASH]: hash, [ATTR_PATHWAY_PARENT_HASH]: parentHash } };
    if (hashes.size >= 256) hashes.clear();
    hashes.set(parentHash, cached);
  }
  const nowMs = runtime.now();
  const header = formatPathway({
    hash: cached.hash,
    originMs: consumed?.originMs ?? nowMs,
    sendMs: nowMs,
    hops: consumed ? Math.min(consumed.hops + 1, MAX_HOPS) : 1,
  });
  return { header, hash: cached.hash, parentHash, attributes: cached.attributes };
}

/**
 * True when the message already carries a creation context chosen by the
 * user or an upstream library: it is linked, never re-injected. Present but
 * unreadable (oversized, binary, an odd type) still counts as the user's: we
 * never replace what we cannot read.
 */
function hasUserTraceparent(carrier: MessageCarrier): boolean {
  const value = carrier.get(TRACEPARENT);
  if (value !== undefined && value !== '') return true;
  for (const key of carrier.keys()) {
    if (key.length === TRACEPARENT.length && key.toLowerCase() === TRACEPARENT) return true;
  }
  return false;
}

/** Records a finished send: duration, sent count, and the pathway's sent count. */
class SendOp extends Operation implements SendOperation {
  constructor(
    span: Span,
    ctx: Context,
    private readonly runtime: MessagingRuntime,
    private readonly info: SendInfo,
    private readonly route: Route,
    readonly messageCount: number,
    private readonly pathway: Pathway | undefined,
  ) {
    super(span, ctx);
  }

  protected override recordEnd(error: { value: unknown } | undefined, seconds: number): void {
    const instruments = this.runtime.instruments;
    const series = error ? withErrorType(this.route.metric, error.value) : this.route.metric;
    instruments.operationDuration.record(seconds, series);
    instruments.sentMessages.add(this.messageCount, series);
    const pathway = this.pathway;
    if (pathway && !error && this.messageCount > 0) {
      instruments.pathwaySent.add(
        this.messageCount,
        sentPathwaySeries(this.route, this.info, pathway.hash, pathway.parentHash),
      );
    }
  }
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
  const route = runtime.routes.get(info, MESSAGING_OPERATION_TYPE_SEND, runtime.semconv);
  let pathway: Pathway | undefined;
  if (runtime.pathway) {
    try {
      pathway = nextPathway(runtime, info, route, ambient);
    } catch (err) {
      warnFailure('pathway header', err);
    }
  }
  const pathwayAttributes = pathway?.attributes;

  // Built only when something is linked: a plain single send allocates no array.
  let links: Link[] | undefined = info.links?.slice();
  // preserved[i]: message i carries a user traceparent (allocated on the first one).
  let preserved: boolean[] | undefined;
  let injectsAny = false;
  for (let i = 0; i < count; i++) {
    const carrier = carriers[i] as MessageCarrier;
    let kept = false;
    try {
      kept = hasUserTraceparent(carrier);
    } catch (err) {
      warnFailure('read user traceparent', err);
    }
    if (!kept) {
      injectsAny = true;
      continue;
    }
    (preserved ??= new Array<boolean>(count).fill(false))[i] = true;
    let userContext;
    try {
      userContext = extractSpanContext(carrier);
    } catch (err) {
      warnFailure('read user traceparent', err);
    }
    if (userContext) (links ??= []).push({ context: userContext });
  }

  const withCreateSpans = count > 1 && runtime.batchCreateSpans;
  if (withCreateSpans) {
    const createRoute = runtime.routes.get(info, MESSAGING_OPERATION_TYPE_CREATE, runtime.semconv);
    const tracer = runtime.tracer;
    for (let i = 0; i < count; i++) {
      if (preserved?.[i]) continue;
      try {
        // messaging-spans.md: the message's attributes, then the send's broker ones.
        const perMessage = info.messageAttributes?.[i];
        const broker =
          perMessage && info.attributes
            ? mergeAttributes(info.attributes, perMessage)
            : (perMessage ?? info.attributes);
        const create = startRouteSpan(
          tracer,
          createRoute,
          SpanKind.PRODUCER,
          ambient,
          NO_LINKS,
          broker || undefined,
          pathwayAttributes,
        );
        injectUnchecked(carriers[i] as MessageCarrier, trace.setSpan(ambient, create));
        (links ??= []).push({ context: create.spanContext() });
        create.end();
      } catch (err) {
        warnFailure('create span', err);
      }
    }
  }

  // The send span is PRODUCER only when its own context is the messages'
  // creation context (the kind table in messaging-spans.md); otherwise CLIENT.
  const injectsSendContext = !withCreateSpans && injectsAny;
  const span = startRouteSpan(
    runtime.tracer,
    route,
    injectsSendContext ? SpanKind.PRODUCER : SpanKind.CLIENT,
    ambient,
    links ?? NO_LINKS,
    info.attributes,
    pathwayAttributes,
    count > 1 ? { [ATTR_MESSAGING_BATCH_MESSAGE_COUNT]: count } : info.messageAttributes?.[0] || undefined,
  );
  const sendContext = trace.setSpan(ambient, span);

  for (let i = 0; i < count; i++) {
    const carrier = carriers[i] as MessageCarrier;
    const inject = injectsSendContext && !preserved?.[i];
    if (!inject && !pathway) continue;
    try {
      if (inject) injectUnchecked(carrier, sendContext);
      // Ours, describing this edge: replaces a header copied from a consumed message.
      if (pathway) carrier.set(PATHWAY_HEADER, pathway.header);
    } catch (err) {
      warnFailure('inject message headers', err);
    }
  }

  return new SendOp(span, sendContext, runtime, info, route, count, pathway);
}
