import { NotFoundError } from '@/lib/http/errors';
/** The journey of a message (or of every message of a trace/conversation), hop by hop. */

export interface JourneySpan {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  links: { traceId: string; spanId: string }[];
  service: string;
  name: string;
  operation: string | null;
  system: string;
  destination: string | null;
  startedAt: string;
  startUs: number;
  durationMs: number;
  status: 'ok' | 'error' | 'unset';
  errorType: string | null;
  statusMessage: string | null;
  /** The span's attributes, for "show attributes". */
  attributes: Record<string, unknown>;
}

export interface JourneyAttempt {
  traceId: string;
  spanId: string;
  startedAt: string;
  /** Send start → this processing start (time in the broker plus delivery); null without a send. */
  queueWaitMs: number | null;
  processingMs: number;
  status: 'ok' | 'error' | 'unset';
  errorType: string | null;
  statusMessage: string | null;
  /** 1 = first delivery, 2+ = redelivery, when the SDK reports it. */
  deliveryAttempt: number | null;
  /** The settle operation recorded for this attempt (ack, nack, reject, dead_letter, ...). */
  settle: { operation: string; at: string } | null;
}

export type DeliveryOutcome = 'processed' | 'received' | 'failed' | 'dead-lettered';

export interface JourneyDelivery {
  service: string;
  consumerGroup: string | null;
  /**
   * What the attempts are: process spans, or — for a consumer that reports only receive spans (plain
   * client instrumentation) — its receives, whose duration is the fetch, not the processing.
   */
  observedBy: 'process' | 'receive';
  attempts: JourneyAttempt[];
  /**
   * processed: the last attempt succeeded; received: it was fetched by a consumer that reports no
   * processing; failed: it failed; dead-lettered: a dead-letter send followed.
   */
  outcome: DeliveryOutcome;
  retries: number;
  redelivered: boolean;
}

/** A hop that is a replay from a dead-letter queue, as the dashboard's replay span records it. */
export interface JourneyReplay {
  /** The replay id (the `signalbox-replay-id` header). */
  id: string;
  /** The DLQ the copy was taken from; null when the replay was not recorded by this dashboard. */
  dlq: string | null;
  /** The replay job (/api/replays/{jobId}) and who started it; null when not recorded. */
  jobId: string | null;
  actor: string | null;
  /** The hop of the dead-lettered message this is a copy of (its dead-letter hop), when loaded. */
  of: number | null;
}

export interface JourneyHop {
  index: number;
  system: string;
  destination: string;
  messageId: string | null;
  /** The send; null when only the consumer side was recorded (an uninstrumented producer). */
  send: {
    service: string;
    traceId: string;
    spanId: string;
    sentAt: string;
    durationMs: number;
    status: 'ok' | 'error' | 'unset';
  } | null;
  deliveries: JourneyDelivery[];
  /** The hop whose processing sent this message, if any. */
  causedBy: number | null;
  /**
   * The message went to a dead-letter queue (`destination`): a consumer's dead-letter send, or — with
   * `send` null — the broker's own dead-lettering (a RabbitMQ dead-letter exchange, a redrive policy),
   * known from a later replay out of that queue.
   */
  deadLetter: boolean;
  /** Set when the message was replayed from a DLQ (the signalbox-replay-id header). */
  replayId: string | null;
  /** The replay's job, operator and origin, for a replay the dashboard recorded. */
  replay: JourneyReplay | null;
}

export interface Journey {
  query: { traceId?: string; messageId?: string; conversationId?: string };
  traceIds: string[];
  startedAt: string;
  endedAt: string;
  /** First send (or span) start → last processing end. */
  totalMs: number;
  hops: JourneyHop[];
  spans: JourneySpan[];
  /** True when the journey was cut at the size limit. */
  truncated: boolean;
}

export class JourneyNotFoundError extends NotFoundError {
  override name = 'JourneyNotFoundError';
}
