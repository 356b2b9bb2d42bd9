import { type ExchangeFacts, bindingRouting } from './binding-routes';
import { exchangeRoutes } from './exchange-routes';
import { jetstreamRoutes, jetstreamStream } from './jetstream-routes';
import type { RabbitTopology } from '@/lib/model/rabbitmq-topology';
import { wildcardRoutes } from './wildcard-routes';

/** How a RabbitMQ route is known from the bindings: a binding, a queue's dead-letter exchange, an alternate exchange. */
export type RouteVia = 'binding' | 'dead-letter' | 'alternate';

/** A broker routing messages from one destination node to another. */
export interface BrokerRoute {
  system: string;
  from: string;
  to: string;
  /** The queue a RabbitMQ route ends in (the last part of `to`). */
  queue?: string;
  /** Set when the management API's bindings give the route; absent when only telemetry shows it. */
  via?: RouteVia;
  /**
   * The published destination whose messages the route carries, when not `from` (a hop after an
   * alternate exchange or an exchange-to-exchange binding); null when unknown (dead letters).
   */
  carries?: string | null;
  /** Why the route may not be taken (a headers exchange's binding), when the graph cannot tell. */
  uncertain?: string;
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

export interface BrokerRouting {
  routes: BrokerRoute[];
  /** What RabbitMQ's bindings say about exchange-side destinations, by name (empty without them). */
  exchanges: Map<string, ExchangeFacts>;
}

/**
 * Pure: brokerRoutes, plus, when RabbitMQ's bindings are known, the routes they
 * give. A route telemetry inferred into a queue the bindings also reach is
 * replaced by theirs, which may pass through an alternate exchange on the way.
 */
export function brokerRouting(
  published: readonly Named[],
  consumed: readonly Named[],
  rabbit: RabbitTopology | null,
): BrokerRouting {
  const inferred = brokerRoutes(published, consumed);
  if (!rabbit) return { routes: inferred, exchanges: new Map() };
  const names = (list: readonly Named[]) =>
    list.filter((n) => n.system === 'rabbitmq').map((n) => n.destination);
  const fromBindings = bindingRouting(
    names(published),
    names(consumed),
    inferred.filter((r) => r.system === 'rabbitmq'),
    rabbit,
  );
  const explained = new Set(fromBindings.routes.map((r) => r.to));
  return {
    routes: [
      ...inferred.filter((r) => r.system !== 'rabbitmq' || !explained.has(r.to)),
      ...fromBindings.routes,
    ],
    exchanges: fromBindings.exchanges,
  };
}
