/*
 * RabbitMQ's routing configuration as the management API reports it, reduced
 * to what the flow graph routes with. Read by lib/brokers/rabbitmq/bindings.ts;
 * the graph's logic (binding-match.ts, binding-routes.ts) only sees these types,
 * so it stays pure and testable with literals.
 */

/** The four built-in types; plugins add others (x-consistent-hash, x-delayed-message…). */
export type ExchangeType = 'direct' | 'topic' | 'fanout' | 'headers';

export interface RabbitExchange {
  vhost: string;
  name: string;
  /** As the broker says it; a plugin's type is kept as is. */
  type: string;
  /** The `alternate-exchange` argument: where messages go that no binding routes. */
  alternateExchange: string | null;
}

export interface RabbitBinding {
  vhost: string;
  /** The exchange the binding routes from ('' is the default exchange). */
  source: string;
  destination: string;
  destinationType: 'queue' | 'exchange';
  /** The binding key: a word for direct, a pattern for topic, ignored by fanout and headers. */
  routingKey: string;
}

export interface RabbitQueue {
  vhost: string;
  name: string;
  /** `x-dead-letter-exchange`: where rejected and expired messages are republished ('' = default exchange). */
  deadLetterExchange: string | null;
  /** `x-dead-letter-routing-key`: the key they are republished with; null keeps each message's own. */
  deadLetterRoutingKey: string | null;
}

export interface RabbitTopology {
  exchanges: RabbitExchange[];
  bindings: RabbitBinding[];
  queues: RabbitQueue[];
}

export const isKnownExchangeType = (type: string): type is ExchangeType =>
  type === 'direct' || type === 'topic' || type === 'fanout' || type === 'headers';

/** Whether the flow graph's RabbitMQ routes include the management API's bindings. */
export type BindingsStatus =
  | { state: 'read'; readAt: string }
  /** Configured but not read (down, refused, timed out): routes come from telemetry alone. */
  | { state: 'unavailable'; reason: string };
