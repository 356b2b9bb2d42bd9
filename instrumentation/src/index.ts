export { instrumentKafkaConsumer, instrumentKafkaProducer } from './brokers/kafka.js';
export type { KafkaConsumerInstrumentationOptions } from './brokers/kafka.js';
export { instrumentAmqpChannel } from './brokers/rabbitmq.js';
export type { MessagingInstrumentationOptions, ParentMode } from './options.js';
export { extractContext, injectContext } from './propagation/carrier.js';
export type { InjectResult, MessageCarrier } from './propagation/carrier.js';
export { kafkaHeadersCarrier } from './propagation/kafka-headers.js';
export { amqpHeadersCarrier } from './propagation/amqp-headers.js';
