import { randomBytes } from 'node:crypto';
import {
  isSpanContextValid,
  type Link,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  type Tracer,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import { injectContext } from '@signalbox/instrumentation/protocol';
import { REPLAY_ATTRIBUTES } from '@/lib/model/replay-attributes';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The span context a W3C traceparent names, or null. */
export function parseTraceparent(value: string | null): Link['context'] | null {
  const m = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  if (!m?.[1] || !m[2] || !m[3] || /^0+$/.test(m[1]) || /^0+$/.test(m[2])) return null;
  return { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16) & TraceFlags.SAMPLED, isRemote: true };
}

/**
 * A replayed copy starts a NEW trace (it is a new delivery attempt, possibly hours later, and the old
 * trace is closed), linked to the failed message's trace: the messaging conventions' way of relating
 * a message to its origin without parent-child. The span is a root PRODUCER span `send <target>`;
 * its context is injected into `headers` with the instrumentation's injectContext.
 */
export function startReplaySpan(
  tracer: Tracer,
  options: {
    system: string;
    target: string;
    originalTraceparent: string | null;
    replayId: string;
    dlq: string;
    /** The replay job and who started it: the journey names them on the replay hop. */
    jobId: string;
    actor: string;
  },
  headers: Record<string, string>,
): Span {
  const original = parseTraceparent(options.originalTraceparent);
  const span = tracer.startSpan(`send ${options.target}`, {
    kind: SpanKind.PRODUCER,
    root: true,
    links: original ? [{ context: original, attributes: { 'signalbox.link.type': 'replay_of' } }] : [],
    attributes: {
      'messaging.system': options.system,
      'messaging.operation.name': 'send',
      'messaging.operation.type': 'send',
      'messaging.destination.name': options.target,
      [REPLAY_ATTRIBUTES.id]: options.replayId,
      [REPLAY_ATTRIBUTES.dlq]: options.dlq,
      [REPLAY_ATTRIBUTES.job]: options.jobId,
      [REPLAY_ATTRIBUTES.actor]: options.actor,
    },
  });
  injectContext(
    {
      get: (key) => headers[key],
      set: (key, value) => {
        headers[key] = value;
      },
      keys: () => Object.keys(headers),
    },
    trace.setSpan(ROOT_CONTEXT, span),
  );
  if (!headers.traceparent) {
    // No propagator or no SDK registered in this process: still start a new trace in the headers
    // (never continue the failed one); the replay span itself is then not recorded.
    const sc = span.spanContext();
    headers.traceparent = isSpanContextValid(sc)
      ? `00-${sc.traceId}-${sc.spanId}-0${sc.traceFlags & TraceFlags.SAMPLED}`
      : `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
  }
  return span;
}
