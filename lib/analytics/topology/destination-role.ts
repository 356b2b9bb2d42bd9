/**
 * What a destination node is in its broker's own vocabulary, so the graph can
 * say "exchange", "queue", "subject", "filter" instead of one word for all.
 * Null where the names alone cannot tell (a RabbitMQ publish to a bare name
 * nobody is seen consuming: the default exchange's queue, or an exchange
 * published to with no routing key).
 */
export type DestinationRole = 'exchange' | 'queue' | 'topic' | 'subject' | 'filter' | 'stream';

const NATS_WILDCARD = (name: string) => name.split('.').some((t) => t === '*' || t === '>');
const MQTT_FILTER = (name: string) =>
  name.startsWith('$share/') || name.split('/').some((l) => l === '+' || l === '#');

export function destinationRole(
  system: string,
  name: string,
  seen: { routesFrom: boolean; consumed: boolean; stream?: boolean },
): DestinationRole | null {
  // A JetStream stream (jetstream-routes.ts): known from its deliveries, not its name.
  if (seen.stream) return 'stream';
  switch (system) {
    case 'rabbitmq':
      if (seen.routesFrom) return 'exchange';
      if (seen.consumed) return 'queue';
      return name.includes(':') ? 'exchange' : null;
    case 'nats':
      return NATS_WILDCARD(name) ? 'filter' : 'subject';
    case 'mqtt':
      return MQTT_FILTER(name) ? 'filter' : 'topic';
    case 'kafka':
      return 'topic';
    case 'redis':
      return 'stream';
    case 'aws_sqs':
    case 'bullmq':
      return 'queue';
    default:
      return null;
  }
}
