/*
 * Entry point `@signalbox/instrumentation/auto`: the auto-instrumentation
 * classes. Separate from the main entry so that the core keeps depending on
 * `@opentelemetry/api` alone; this one needs `@opentelemetry/instrumentation`
 * (an optional peer dependency).
 */
export { SignalboxAmqplibInstrumentation } from './amqplib.js';
export type { SignalboxInstrumentationConfig } from './base.js';
export { SignalboxKafkaJsInstrumentation } from './kafkajs.js';

import type { Instrumentation } from '@opentelemetry/instrumentation';
import { SignalboxAmqplibInstrumentation } from './amqplib.js';
import type { SignalboxInstrumentationConfig } from './base.js';
import { SignalboxKafkaJsInstrumentation } from './kafkajs.js';

/** Every Signalbox auto-instrumentation, configured alike. */
export function signalboxInstrumentations(config: SignalboxInstrumentationConfig = {}): Instrumentation[] {
  return [new SignalboxKafkaJsInstrumentation(config), new SignalboxAmqplibInstrumentation(config)];
}
