/*
 * `messaging.system` values. The semantic conventions name `kafka`,
 * `rabbitmq`, `aws_sqs` and `servicebus`; NATS, Redis Streams and BullMQ have
 * no registered value, so we use their plain names. Callers (and other
 * writers) use looser names; they are mapped here so the model always carries
 * the same spelling.
 */

export const SYSTEM_KAFKA = 'kafka';
export const SYSTEM_RABBITMQ = 'rabbitmq';
export const SYSTEM_SQS = 'aws_sqs';
export const SYSTEM_NATS = 'nats';
export const SYSTEM_REDIS = 'redis';
export const SYSTEM_BULLMQ = 'bullmq';
export const SYSTEM_SERVICEBUS = 'servicebus';

const ALIASES: Record<string, string> = {
  sqs: SYSTEM_SQS,
  'aws-sqs': SYSTEM_SQS,
  amqp: SYSTEM_RABBITMQ,
  jetstream: SYSTEM_NATS,
  'nats-jetstream': SYSTEM_NATS,
  'redis-streams': SYSTEM_REDIS,
  redis_streams: SYSTEM_REDIS,
  'azure-servicebus': SYSTEM_SERVICEBUS,
  azure_servicebus: SYSTEM_SERVICEBUS,
};

/** The canonical spelling of a messaging system name (lowercase), or null for empty input. */
export function normaliseSystem(raw: string | null | undefined): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.trim().toLowerCase();
  if (name === '' || name.length > 64) return null;
  return ALIASES[name] ?? name;
}
