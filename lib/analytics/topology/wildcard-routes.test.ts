import { describe, expect, it } from 'vitest';
import { wildcardRoutes } from './wildcard-routes';

const at = (system: string, destination: string) => ({ system, destination });

describe('wildcardRoutes', () => {
  it('routes each published NATS subject to every subscription whose wildcard filter matches it', () => {
    const routes = wildcardRoutes(
      [at('nats', 'orders.eu.created'), at('nats', 'orders.us.created'), at('nats', 'payments.eu')],
      [at('nats', 'orders.*.created'), at('nats', 'orders.>'), at('nats', 'payments.eu')],
    );
    expect(routes.map((r) => `${r.from} → ${r.to}`).sort()).toEqual([
      'orders.eu.created → orders.*.created',
      'orders.eu.created → orders.>',
      'orders.us.created → orders.*.created',
      'orders.us.created → orders.>',
    ]);
  });

  it('routes MQTT topics to + and # filters and to shared subscriptions by their filter', () => {
    const routes = wildcardRoutes(
      [at('mqtt', 'sensors/kitchen/temp'), at('mqtt', '$SYS/broker/load')],
      [at('mqtt', 'sensors/+/temp'), at('mqtt', '$share/workers/sensors/#'), at('mqtt', '#')],
    );
    expect(routes.map((r) => `${r.from} → ${r.to}`).sort()).toEqual([
      'sensors/kitchen/temp → #',
      'sensors/kitchen/temp → $share/workers/sensors/#',
      'sensors/kitchen/temp → sensors/+/temp',
    ]);
  });

  it('leaves other systems, other systems’ names and filters nobody published to alone', () => {
    expect(
      wildcardRoutes(
        [at('kafka', 'orders.eu'), at('nats', 'payments.eu')],
        [at('kafka', 'orders.*'), at('nats', 'orders.*'), at('mqtt', 'payments/#')],
      ),
    ).toEqual([]);
  });
});
