/*
 * Entry point `@signalbox/instrumentation/protocol`: the wire protocol, for
 * code that reads or writes Signalbox's headers without instrumenting a
 * client (the dashboard's ingest, its DLQ browsing and replay, other tools).
 * No broker client and no OpenTelemetry SDK is loaded through it; everything
 * here is also exported from the package root.
 */

// Trace context in message headers (W3C traceparent/tracestate; never overwriting a user's).
export { extractContext, injectContext } from './propagation/carrier.js';
export type { InjectResult, MessageCarrier } from './propagation/carrier.js';
export {
  prepareSqsAttributes,
  sqsAttributesCarrier,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  SQS_PACKED_CONTEXT_ATTRIBUTE,
} from './brokers/sqs/attributes.js';
export type {
  PreparedSqsAttributes,
  SqsContextPlacement,
  SqsMessageAttributes,
} from './brokers/sqs/attributes.js';
export { bullmqMetadataCarrier, parseBullmqMetadata } from './brokers/bullmq/metadata.js';

// The pathway header (PATHWAY.md): end-to-end latency that survives sampling.
export { formatPathway, parsePathway, PATHWAY_HEADER } from './pathway/header.js';
export type { PathwayHeader } from './pathway/header.js';
export { pathwayHash } from './pathway/hash.js';

// Dead letters: the header set, every dialect's parser, the failure fingerprint, replay marks.
export { parseDeadLetter } from './dlq/parse.js';
export type { DeadLetterInput } from './dlq/parse.js';
export { PARSE_LIMITS as DEAD_LETTER_PARSE_LIMITS } from './dlq/model.js';
export type {
  DeadLetterDialect,
  DeadLetterFailure,
  DeadLetterReason,
  DeadLetterReplay,
  DeadLetterSource,
} from './dlq/model.js';
export {
  BULLMQ_DLQ_DATA_KEY,
  DLQ_HEADER_PREFIX,
  DLQ_HEADER_VERSION,
  DLQ_HEADERS,
  DLQ_VALUE_LIMITS,
  isDeadLetterHeader,
  REPLAY_HEADERS,
  SQS_DLQ_ATTRIBUTE,
} from './dlq/headers.js';
export {
  decodeHeaderValue as decodeDeadLetterHeaderValue,
  encodeHeaderValue as encodeDeadLetterHeaderValue,
} from './dlq/encoding.js';
export {
  failureFingerprint,
  FINGERPRINT_FRAMES,
  normaliseErrorMessage,
  topStackFrames,
} from './dlq/fingerprint.js';

// How brokers route by name: NATS subject wildcards, MQTT topic filters.
export { mqttTopicMatches, natsSubjectMatches } from './brokers/destination-template.js';

// A bounded two-generation cache (recent sends, recent ids), shared with the dashboard.
export { TwoGenerationMap } from './messaging/two-generation-map.js';
