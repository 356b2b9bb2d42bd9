import { describe, expect, it } from 'vitest';
import { parseTopology } from './bindings';

describe('parseTopology', () => {
  it('keeps types, binding keys, alternate and dead-letter arguments', () => {
    expect(
      parseTopology({
        exchanges: [
          { name: 'orders-x', vhost: '/', type: 'topic', arguments: { 'alternate-exchange': 'ae' } },
          { name: 'ae', vhost: '/', type: 'fanout', arguments: {} },
        ],
        bindings: [
          {
            source: 'orders-x',
            vhost: '/',
            destination: 'q',
            destination_type: 'queue',
            routing_key: 'order.*',
          },
          {
            source: 'orders-x',
            vhost: '/',
            destination: 'ae',
            destination_type: 'exchange',
            routing_key: '',
          },
        ],
        queues: [
          {
            name: 'q',
            vhost: '/',
            arguments: { 'x-dead-letter-exchange': 'dlx', 'x-dead-letter-routing-key': 'dead' },
          },
          { name: 'plain', vhost: '/', arguments: {} },
        ],
      }),
    ).toEqual({
      exchanges: [
        { vhost: '/', name: 'orders-x', type: 'topic', alternateExchange: 'ae' },
        { vhost: '/', name: 'ae', type: 'fanout', alternateExchange: null },
      ],
      bindings: [
        { vhost: '/', source: 'orders-x', destination: 'q', destinationType: 'queue', routingKey: 'order.*' },
        { vhost: '/', source: 'orders-x', destination: 'ae', destinationType: 'exchange', routingKey: '' },
      ],
      queues: [
        { vhost: '/', name: 'q', deadLetterExchange: 'dlx', deadLetterRoutingKey: 'dead' },
        { vhost: '/', name: 'plain', deadLetterExchange: null, deadLetterRoutingKey: null },
      ],
    });
  });

  it('says which field is wrong', () => {
    expect(() => parseTopology({ exchanges: [{ name: 1 }], bindings: [], queues: [] })).toThrow(/at 0\.name/);
  });
});
