export { instrumentKafkaConsumer, instrumentKafkaProducer } from './brokers/kafka.js';
export type { KafkaConsumerInstrumentationOptions } from './brokers/kafka.js';
export { instrumentAmqpChannel } from './brokers/rabbitmq.js';
export type { MessagingInstrumentationOptions, ParentMode } from './options.js';
export { extractContext, injectContext } from './propagation/carrier.js';
export type { InjectResult, MessageCarrier } from './propagation/carrier.js';
export { kafkaHeadersCarrier } from './propagation/kafka-headers.js';
export { amqpHeadersCarrier } from './propagation/amqp-headers.js';
export {
  prepareSqsAttributes,
  sqsAttributesCarrier,
  SQS_MAX_MESSAGE_ATTRIBUTES,
  SQS_PACKED_CONTEXT_ATTRIBUTE,
} from './propagation/sqs-attributes.js';
export type {
  PreparedSqsAttributes,
  SqsContextPlacement,
  SqsMessageAttributes,
} from './propagation/sqs-attributes.js';
export { natsHeadersCarrier } from './propagation/nats-headers.js';
export { redisFieldsCarrier } from './propagation/redis-fields.js';
export { mqttUserPropertiesCarrier } from './propagation/mqtt-properties.js';
export { bullmqMetadataCarrier, parseBullmqMetadata } from './propagation/bullmq-metadata.js';
export { processKafkaMessage } from './brokers/kafka.js';
export type { KafkaConsumerLike, KafkaProducerLike } from './brokers/kafka.js';
export { processAmqpMessage } from './brokers/rabbitmq.js';
export { formatPathway, parsePathway, PATHWAY_HEADER } from './pathway/header.js';
export type { PathwayHeader } from './pathway/header.js';
export { TwoGenerationMap } from './messaging/two-generation-map.js';
export { pathwayHash } from './pathway/hash.js';
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
export type { DeadLetterOptions, DeadLetterResult } from './dlq/prepare.js';
export { deadLetterKafka, kafkaDeadLetterTopic } from './dlq/kafka.js';
export type { KafkaDeadLetterOptions, KafkaDeadLetterResult, KafkaFailedMessage } from './dlq/kafka.js';
export { amqpDeadLetterQueue, deadLetterAmqp } from './dlq/rabbitmq.js';
export type { AmqpDeadLetterOptions, AmqpDeadLetterResult } from './dlq/rabbitmq.js';
export { deadLetterSqs } from './dlq/sqs.js';
export type { SqsDeadLetterOptions, SqsDeadLetterResult } from './dlq/sqs.js';
export { deadLetterJetStream, jetStreamDeadLetterSubject } from './dlq/nats.js';
export type { JetStreamDeadLetterOptions, JetStreamDeadLetterResult } from './dlq/nats.js';
export { deadLetterRedisStream, redisDeadLetterStream } from './dlq/redis.js';
export type { RedisDeadLetterOptions, RedisDeadLetterResult, RedisStreamEntry } from './dlq/redis.js';
export { deadLetterBullMQ } from './dlq/bullmq.js';
export type { BullMQDeadLetterData, BullMQDeadLetterOptions, BullMQDeadLetterResult } from './dlq/bullmq.js';
export { instrumentSqsClient, processSqsMessage } from './brokers/sqs.js';
export type { SqsInstrumentationOptions } from './brokers/sqs.js';
export { instrumentNatsConnection, processNatsMessage } from './brokers/nats.js';
export type { NatsInstrumentationOptions } from './brokers/nats.js';
export { instrumentJetStream, instrumentJetStreamConsumer } from './brokers/nats-jetstream.js';
export type { DestinationTemplates } from './brokers/destination-template.js';
export { mqttTopicMatches, natsSubjectMatches } from './brokers/destination-template.js';
export { instrumentRedisStreams, processRedisStreamEntry } from './brokers/redis-streams.js';
export type { RedisStreamsInstrumentationOptions } from './brokers/redis-streams.js';
export { instrumentMqttClient } from './brokers/mqtt.js';
export type { MqttInstrumentationOptions } from './brokers/mqtt.js';
export { instrumentBullMQProcessor, instrumentBullMQQueue } from './brokers/bullmq.js';
export type { BullMQInstrumentationOptions } from './brokers/bullmq.js';
export { signalboxMetricProducer } from './metrics/producer.js';
export type { SignalboxMetricProducer } from './metrics/producer.js';
