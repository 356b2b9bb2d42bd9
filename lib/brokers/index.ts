import { BullMqLagAdapter } from './bullmq/lag';
import type { BrokerSettings } from './config';
import { KafkaLagAdapter } from './kafka/lag';
import type { BrokerAdapter } from './lag-types';
import { NatsLagAdapter } from './nats/lag';
import { compileFilter } from './patterns';
import { RabbitMqLagAdapter } from './rabbitmq/lag';
import { RedisStreamsLagAdapter } from './redis/lag';
import { SqsLagAdapter } from './sqs/lag';

export type * from './lag-types';

/**
 * One adapter per configured broker, each discovering every group/queue it can and keeping those the
 * include/exclude patterns allow. Adding a broker = a file implementing BrokerAdapter + a line here.
 * (MQTT is configured for other features; it exposes no consumer positions, so it has no lag adapter.)
 */
export function createBrokerAdapters(settings: BrokerSettings): BrokerAdapter[] {
  const allowed = compileFilter(settings.filter);
  const adapters: BrokerAdapter[] = [];
  if (settings.kafka) {
    adapters.push(new KafkaLagAdapter(settings.kafka, (group, topic) => allowed('kafka', group, topic)));
  }
  if (settings.rabbitmq) {
    adapters.push(new RabbitMqLagAdapter(settings.rabbitmq, (queue) => allowed('rabbitmq', queue)));
  }
  if (settings.nats) {
    adapters.push(new NatsLagAdapter(settings.nats, (consumer, stream) => allowed('nats', consumer, stream)));
  }
  if (settings.redis) {
    adapters.push(
      new RedisStreamsLagAdapter(settings.redis, (group, stream) => allowed('redis', group, stream)),
    );
  }
  if (settings.bullmq) {
    adapters.push(new BullMqLagAdapter(settings.bullmq, (queue) => allowed('bullmq', queue)));
  }
  if (settings.sqs) {
    adapters.push(new SqsLagAdapter(settings.sqs, (queue) => allowed('aws_sqs', queue)));
  }
  return adapters;
}
