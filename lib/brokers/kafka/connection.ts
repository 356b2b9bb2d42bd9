import { type KafkaConfig, type SASLOptions, logLevel } from 'kafkajs';
import type { KafkaSettings } from '@/lib/config';

/** The bootstrap brokers, for messages and display. */
export const kafkaAddress = (settings: KafkaSettings) => settings.brokers.join(',');

/**
 * The kafkajs options the lag and DLQ clients share: where and how to connect. Each client adds its
 * own id, timeouts and retries.
 */
export function kafkaConnection(settings: KafkaSettings): KafkaConfig {
  return {
    brokers: settings.brokers,
    ssl: settings.tls ? { ...settings.tls } : false,
    sasl: settings.sasl ? (settings.sasl as SASLOptions) : undefined,
    connectionTimeout: 3000,
    // Failures reach the caller as errors; kafkajs's own log would repeat them on every poll or pass.
    logLevel: logLevel.NOTHING,
  };
}
