import { exchangeRoutes } from './exchange-routes';
import { jetstreamRoutes, jetstreamStream } from './jetstream-routes';
import { wildcardRoutes } from './wildcard-routes';

/** A broker routing messages from one destination node to another. */
export interface BrokerRoute {
  system: string;
  from: string;
  to: string;
  /** The queue a RabbitMQ route ends in (the last part of `to`). */
  queue?: string;
}

type Named = { system: string; destination: string };

/**
 * Pure: how each broker routes between the destinations seen publishing and
 * consuming: RabbitMQ exchanges to queues, NATS subjects and MQTT topics to the
 * wildcard filters that receive them, NATS subjects to the JetStream streams
 * that capture them. Brokers that deliver where they were
 * published (Kafka topics, SQS and BullMQ queues, Redis streams) need none.
 */
export function brokerRoutes(published: readonly Named[], consumed: readonly Named[]): BrokerRoute[] {
  // Stream deliveries are routed by their stream, never as subscription filters.
  const subscriptions = consumed.filter((c) => jetstreamStream(c.system, c.destination) === null);
  return [
    ...exchangeRoutes(published, consumed),
    ...wildcardRoutes(published, subscriptions),
    ...jetstreamRoutes(published, consumed),
  ];
}
