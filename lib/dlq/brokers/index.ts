import { BullMqDlqAdapter } from '@/lib/brokers/bullmq/dlq';
import type { BrokerSettings } from '@/lib/brokers/config';
import { KnownDlqNames } from '@/lib/brokers/dlq-known-names';
import type { DlqAdapter, DlqSystem } from '@/lib/brokers/dlq-types';
import { KafkaDlqAdapter } from '@/lib/brokers/kafka/dlq';
import { JetStreamDlqAdapter } from '@/lib/brokers/nats/dlq';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import { RedisStreamsDlqAdapter } from '@/lib/brokers/redis/dlq';
import { SqsDlqAdapter } from '@/lib/brokers/sqs/dlq';

export type * from '@/lib/brokers/dlq-types';
export { DlqBrokerError } from '@/lib/brokers/dlq-types';
export { KnownDlqNames };

/**
 * One DLQ adapter per configured broker that has one. Adding a broker = a file implementing
 * DlqAdapter + a line here. `known` holds each system's configured DLQ names; names seen in
 * telemetry are added to it later (KnownDlqNames.hint).
 */
export function createDlqAdapters(
  settings: BrokerSettings,
  configured: readonly { system: string; name: string }[],
): { adapters: DlqAdapter[]; known: Map<DlqSystem, KnownDlqNames> } {
  const known = new Map<DlqSystem, KnownDlqNames>();
  const names = (system: DlqSystem) => {
    const list = new KnownDlqNames(configured.filter((c) => c.system === system).map((c) => c.name));
    known.set(system, list);
    return list;
  };
  const adapters: DlqAdapter[] = [];
  if (settings.kafka) adapters.push(new KafkaDlqAdapter(settings.kafka, names('kafka')));
  if (settings.rabbitmq) adapters.push(new RabbitMqDlqAdapter(settings.rabbitmq, names('rabbitmq')));
  if (settings.sqs) adapters.push(new SqsDlqAdapter(settings.sqs, names('aws_sqs')));
  if (settings.redis) adapters.push(new RedisStreamsDlqAdapter(settings.redis, names('redis')));
  if (settings.nats) adapters.push(new JetStreamDlqAdapter(settings.nats, names('nats')));
  if (settings.bullmq) adapters.push(new BullMqDlqAdapter(settings.bullmq, names('bullmq')));
  return { adapters, known };
}
