/*
 * Entry point `@signalbox/instrumentation/auto`: the auto-instrumentation
 * classes. Separate from the main entry so that the core keeps depending on
 * `@opentelemetry/api` alone; this one needs `@opentelemetry/instrumentation`
 * (an optional peer dependency).
 */
export { SignalboxAmqplibInstrumentation } from '../brokers/rabbitmq/auto.js';
export type { SignalboxInstrumentationConfig } from './base.js';
export { SignalboxBullMQInstrumentation } from '../brokers/bullmq/auto.js';
export { SignalboxIoredisStreamsInstrumentation } from '../brokers/redis-streams/auto.js';
export { SignalboxKafkaJsInstrumentation } from '../brokers/kafka/auto.js';
export { SignalboxMqttInstrumentation } from '../brokers/mqtt/auto.js';
export { SignalboxNatsInstrumentation } from '../brokers/nats/auto.js';
export { SignalboxSqsInstrumentation } from '../brokers/sqs/auto.js';

import type { Instrumentation } from '@opentelemetry/instrumentation';
import { SignalboxAmqplibInstrumentation } from '../brokers/rabbitmq/auto.js';
import type { SignalboxInstrumentationConfig } from './base.js';
import { SignalboxBullMQInstrumentation } from '../brokers/bullmq/auto.js';
import { SignalboxIoredisStreamsInstrumentation } from '../brokers/redis-streams/auto.js';
import { SignalboxKafkaJsInstrumentation } from '../brokers/kafka/auto.js';
import { SignalboxMqttInstrumentation } from '../brokers/mqtt/auto.js';
import { SignalboxNatsInstrumentation } from '../brokers/nats/auto.js';
import { SignalboxSqsInstrumentation } from '../brokers/sqs/auto.js';

/** Every Signalbox auto-instrumentation, configured alike. */
export function signalboxInstrumentations(config: SignalboxInstrumentationConfig = {}): Instrumentation[] {
  return [
    new SignalboxKafkaJsInstrumentation(config),
    new SignalboxAmqplibInstrumentation(config),
    new SignalboxSqsInstrumentation(config),
    new SignalboxNatsInstrumentation(config),
    new SignalboxIoredisStreamsInstrumentation(config),
    new SignalboxMqttInstrumentation(config),
    new SignalboxBullMQInstrumentation(config),
  ];
}
