// The wire protocol (headers, pathway codec, dead-letter model), also its own entry point.
export * from './protocol.js';
export { instrumentKafkaProducer } from './brokers/kafka/producer.js';
export { instrumentKafkaConsumer, processKafkaMessage } from './brokers/kafka/consumer.js';
export type { KafkaConsumerInstrumentationOptions } from './brokers/kafka/producer.js';
export { instrumentAmqpChannel } from './brokers/rabbitmq/channel.js';
export { processAmqpMessage } from './brokers/rabbitmq/consume.js';
export type { MessagingInstrumentationOptions, ParentMode } from './options.js';
export { kafkaHeadersCarrier } from './brokers/kafka/headers.js';
export { amqpHeadersCarrier } from './brokers/rabbitmq/headers.js';
export { natsHeadersCarrier } from './brokers/nats/headers.js';
export { redisFieldsCarrier } from './brokers/redis-streams/fields.js';
export { mqttUserPropertiesCarrier } from './brokers/mqtt/properties.js';
export type { KafkaConsumerLike, KafkaProducerLike } from './brokers/kafka/producer.js';
export type { DeadLetterOptions, DeadLetterResult } from './dlq/prepare.js';
export { deadLetterKafka, kafkaDeadLetterTopic } from './brokers/kafka/dead-letter.js';
export type {
  KafkaDeadLetterOptions,
  KafkaDeadLetterResult,
  KafkaFailedMessage,
} from './brokers/kafka/dead-letter.js';
export { amqpDeadLetterQueue, deadLetterAmqp } from './brokers/rabbitmq/dead-letter.js';
export type { AmqpDeadLetterOptions, AmqpDeadLetterResult } from './brokers/rabbitmq/dead-letter.js';
export { deadLetterSqs } from './brokers/sqs/dead-letter.js';
export type { SqsDeadLetterOptions, SqsDeadLetterResult } from './brokers/sqs/dead-letter.js';
export { deadLetterJetStream, jetStreamDeadLetterSubject } from './brokers/nats/dead-letter.js';
export type { JetStreamDeadLetterOptions, JetStreamDeadLetterResult } from './brokers/nats/dead-letter.js';
export { deadLetterRedisStream, redisDeadLetterStream } from './brokers/redis-streams/dead-letter.js';
export type {
  RedisDeadLetterOptions,
  RedisDeadLetterResult,
  RedisStreamEntry,
} from './brokers/redis-streams/dead-letter.js';
export { deadLetterBullMQ } from './brokers/bullmq/dead-letter.js';
export type {
  BullMQDeadLetterData,
  BullMQDeadLetterOptions,
  BullMQDeadLetterResult,
} from './brokers/bullmq/dead-letter.js';
export { instrumentSqsClient, processSqsMessage } from './brokers/sqs/client.js';
export type { SqsInstrumentationOptions } from './brokers/sqs/client.js';
export { instrumentNatsConnection, processNatsMessage } from './brokers/nats/connection.js';
export type { NatsInstrumentationOptions } from './brokers/nats/connection.js';
export { instrumentJetStream, instrumentJetStreamConsumer } from './brokers/nats/jetstream.js';
export type { DestinationTemplates } from './brokers/destination-template.js';
export { instrumentRedisStreams, processRedisStreamEntry } from './brokers/redis-streams/client.js';
export type { RedisStreamsInstrumentationOptions } from './brokers/redis-streams/client.js';
export { instrumentMqttClient } from './brokers/mqtt/client.js';
export type { MqttInstrumentationOptions } from './brokers/mqtt/client.js';
export { instrumentBullMQProcessor, instrumentBullMQQueue } from './brokers/bullmq/queue.js';
export type { BullMQInstrumentationOptions } from './brokers/bullmq/queue.js';
export { signalboxMetricProducer } from './metrics/producer.js';
export type { SignalboxMetricProducer } from './metrics/producer.js';
