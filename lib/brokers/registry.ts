import { BullMqDlqAdapter } from './bullmq/dlq';
import { BullMqLagAdapter } from './bullmq/lag';
import type { BrokerSettings } from '@/lib/config';
import type { KnownDlqNames } from './dlq-known-names';
import type { DlqAdapter } from './dlq-types';
import { KafkaDlqAdapter } from './kafka/dlq';
import { KafkaLagAdapter } from './kafka/lag';
import type { BrokerAdapter, BrokerSystem } from './lag-types';
import { JetStreamDlqAdapter } from './nats/dlq';
import { NatsLagAdapter } from './nats/lag';
import { RabbitMqDlqAdapter } from './rabbitmq/dlq';
import { RabbitMqLagAdapter } from './rabbitmq/lag';
import { RedisStreamsDlqAdapter } from './redis/dlq';
import { RedisStreamsLagAdapter } from './redis/lag';
import { SqsDlqAdapter } from './sqs/dlq';
import { SqsLagAdapter } from './sqs/lag';

/** Whether the include/exclude patterns allow a group and its destination, or a queue (compileFilter's result). */
export type NamesAllowed = (system: BrokerSystem, ...names: string[]) => boolean;

/**
 * How to build one broker's adapters from the settings. Each factory returns undefined when the
 * broker is not configured. The DLQ factory asks for its known names only when it builds an
 * adapter, so createDlqAdapters keeps a name list for configured brokers only.
 */
export interface BrokerFactories {
  readonly system: BrokerSystem;
  lag(settings: BrokerSettings, allowed: NamesAllowed): BrokerAdapter | undefined;
  dlq(settings: BrokerSettings, knownNames: () => KnownDlqNames): DlqAdapter | undefined;
}

/**
 * Every broker the dashboard reads, each in its own folder (lib/brokers/<system>/). Adding a broker
 * = a folder with its adapters + an entry here + its place in the two page orders below. (MQTT is
 * configured for other features; it exposes no consumer positions or dead letters, so it has none.)
 */
const BROKERS: Record<BrokerSystem, BrokerFactories> = {
  kafka: {
    system: 'kafka',
    lag: (s, allowed) =>
      s.kafka ? new KafkaLagAdapter(s.kafka, (group, topic) => allowed('kafka', group, topic)) : undefined,
    dlq: (s, knownNames) => (s.kafka ? new KafkaDlqAdapter(s.kafka, knownNames()) : undefined),
  },
  rabbitmq: {
    system: 'rabbitmq',
    lag: (s, allowed) =>
      s.rabbitmq ? new RabbitMqLagAdapter(s.rabbitmq, (queue) => allowed('rabbitmq', queue)) : undefined,
    dlq: (s, knownNames) => (s.rabbitmq ? new RabbitMqDlqAdapter(s.rabbitmq, knownNames()) : undefined),
  },
  nats: {
    system: 'nats',
    lag: (s, allowed) =>
      s.nats
        ? new NatsLagAdapter(s.nats, (consumer, stream) => allowed('nats', consumer, stream))
        : undefined,
    dlq: (s, knownNames) => (s.nats ? new JetStreamDlqAdapter(s.nats, knownNames()) : undefined),
  },
  redis: {
    system: 'redis',
    lag: (s, allowed) =>
      s.redis
        ? new RedisStreamsLagAdapter(s.redis, (group, stream) => allowed('redis', group, stream))
        : undefined,
    dlq: (s, knownNames) => (s.redis ? new RedisStreamsDlqAdapter(s.redis, knownNames()) : undefined),
  },
  bullmq: {
    system: 'bullmq',
    lag: (s, allowed) =>
      s.bullmq ? new BullMqLagAdapter(s.bullmq, (queue) => allowed('bullmq', queue)) : undefined,
    dlq: (s, knownNames) => (s.bullmq ? new BullMqDlqAdapter(s.bullmq, knownNames()) : undefined),
  },
  aws_sqs: {
    system: 'aws_sqs',
    lag: (s, allowed) => (s.sqs ? new SqsLagAdapter(s.sqs, (queue) => allowed('aws_sqs', queue)) : undefined),
    dlq: (s, knownNames) => (s.sqs ? new SqsDlqAdapter(s.sqs, knownNames()) : undefined),
  },
};

// The two pages list brokers in different orders, each the one it has always had; the adapters are
// created (and polled, and listed) in these orders.

/** The order of brokers on the Lag page. */
export const LAG_BROKERS: readonly BrokerFactories[] = (
  ['kafka', 'rabbitmq', 'nats', 'redis', 'bullmq', 'aws_sqs'] as const
).map((system) => BROKERS[system]);

/** The order of brokers on the DLQ page. */
export const DLQ_BROKERS: readonly BrokerFactories[] = (
  ['kafka', 'rabbitmq', 'aws_sqs', 'redis', 'nats', 'bullmq'] as const
).map((system) => BROKERS[system]);
