import { describe, expect, it } from 'vitest';
import {
  destinationInfo,
  mqttTopicMatches,
  natsSubjectMatches,
  templateFor,
} from '../src/brokers/destination-template.js';
import {
  parseXadd,
  parseXreadgroup,
  xautoclaimEntries,
  xreadgroupEntries,
} from '../src/brokers/redis-streams/commands.js';
import { sqsOperationOf, sqsQueueName } from '../src/brokers/sqs/commands.js';
import { receiveInput } from '../src/brokers/sqs/consume.js';

describe('NATS subject templates', () => {
  it.each([
    ['orders.*', 'orders.eu', true],
    ['orders.*', 'orders.eu.1', false],
    ['orders.>', 'orders.eu.1', true],
    ['orders.>', 'orders', false],
    ['*.created', 'orders.created', true],
    ['orders.eu', 'orders.eu', true],
    ['orders.eu', 'orders.us', false],
  ])('%s matches %s: %s', (pattern, subject, expected) => {
    expect(natsSubjectMatches(pattern, subject)).toBe(expected);
  });
});

describe('MQTT topic filters (MQTT 5.0 §4.7)', () => {
  it.each([
    ['sensors/+/temp', 'sensors/kitchen/temp', true],
    ['sensors/+/temp', 'sensors/kitchen/humidity', false],
    ['sensors/#', 'sensors', true],
    ['sensors/#', 'sensors/a/b/c', true],
    ['#', '$SYS/broker/load', false],
    ['+/status', '$SYS/status', false],
    ['a/b', 'a/b/c', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(mqttTopicMatches(filter, topic)).toBe(expected);
  });
});

describe('templateFor', () => {
  it('takes the first matching pattern, or what a function returns', () => {
    expect(templateFor('orders.eu.1', ['users.*', 'orders.>'], natsSubjectMatches)).toBe('orders.>');
    expect(templateFor('x', (d) => `${d}-t`, natsSubjectMatches)).toBe('x-t');
    expect(templateFor('x', ['y'], natsSubjectMatches)).toBeUndefined();
  });

  it('survives a throwing or nonsensical template function', () => {
    expect(
      templateFor(
        'x',
        () => {
          throw new Error('user bug');
        },
        natsSubjectMatches,
      ),
    ).toBeUndefined();
    expect(templateFor('x', () => 'y'.repeat(1000), natsSubjectMatches)).toBeUndefined();
  });

  it('names the operation after the template and records it as an attribute', () => {
    const info = destinationInfo({ system: 'nats' }, 'orders.eu', 'orders.*');
    expect(info.destination).toBe('orders.*');
    expect(info.attributes?.['messaging.destination.template']).toBe('orders.*');
    expect(destinationInfo({ system: 'nats' }, 'orders.eu', undefined).destination).toBe('orders.eu');
  });
});

describe('Redis Streams command shapes', () => {
  it('finds the fields of XADD after its options', () => {
    expect(parseXadd(['s', '*', 'a', '1'])).toEqual({ key: 's', head: ['s', '*'], fields: ['a', '1'] });
    expect(parseXadd(['s', 'NOMKSTREAM', 'MAXLEN', '~', 1000, 'LIMIT', 10, '*', 'a', '1'])?.head).toEqual([
      's',
      'NOMKSTREAM',
      'MAXLEN',
      '~',
      1000,
      'LIMIT',
      10,
      '*',
    ]);
    expect(parseXadd(['s', 'minid', '0-1', '5-0', 'a', '1'])?.fields).toEqual(['a', '1']);
    // Odd field lists and missing ids are left for Redis to reject.
    expect(parseXadd(['s', '*', 'a'])).toBeUndefined();
    expect(parseXadd(['s'])).toBeUndefined();
  });

  it('reads XREADGROUP streams and ids', () => {
    expect(
      parseXreadgroup(['GROUP', 'g', 'c', 'COUNT', 10, 'BLOCK', 0, 'STREAMS', 'a', 'b', '>', '0']),
    ).toEqual({
      group: 'g',
      consumer: 'c',
      streams: [
        { key: 'a', id: '>' },
        { key: 'b', id: '0' },
      ],
    });
    expect(parseXreadgroup(['GROUP', 'g', 'c', 'STREAMS', 'a'])).toBeUndefined();
  });

  it('reads replies in RESP2 and RESP3 shapes, skipping malformed entries', () => {
    const entry = ['1-0', ['a', '1']];
    expect(xreadgroupEntries([['s', [entry, 'junk']]]).get('s')).toEqual([entry]);
    expect(xreadgroupEntries({ s: [entry] }).get('s')).toEqual([entry]);
    expect(xreadgroupEntries(null).size).toBe(0);
    expect(xautoclaimEntries(['0-0', [entry], []])).toEqual([entry]);
    expect(xautoclaimEntries(['0-0', ['1-0'], []])).toEqual([]);
  });
});

describe('SQS commands', () => {
  class SendMessageCommand {
    constructor(readonly input: unknown) {}
  }
  it('recognises commands by operation schema, else by class name', () => {
    expect(sqsOperationOf({ input: {}, schema: [9, 'com.amazonaws.sqs', 'ReceiveMessage'] })).toBe(
      'ReceiveMessage',
    );
    expect(sqsOperationOf({ input: {}, schema: [9, 'com.amazonaws.sns', 'Publish'] })).toBeUndefined();
    expect(sqsOperationOf(new SendMessageCommand({}))).toBe('SendMessage');
    expect(sqsOperationOf({ input: {}, schema: [9, 'com.amazonaws.sqs', 'ListQueues'] })).toBeUndefined();
    expect(sqsOperationOf(null)).toBeUndefined();
  });

  it('takes the queue name from the queue URL', () => {
    expect(sqsQueueName('https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo')).toBe('orders.fifo');
    expect(sqsQueueName('http://127.0.0.1:9324/000000000000/q/')).toBe('q');
    expect(sqsQueueName('')).toBeUndefined();
    expect(sqsQueueName(42)).toBeUndefined();
  });

  it('asks ReceiveMessage for our attributes without dropping the caller’s', () => {
    const input = { QueueUrl: 'q', MessageAttributeNames: ['tenant'] };
    const amended = receiveInput(input);
    expect(amended.MessageAttributeNames).toEqual(
      expect.arrayContaining(['tenant', 'signalbox-pathway', 'signalbox-context']),
    );
    expect(amended.MessageSystemAttributeNames).toEqual(['ApproximateReceiveCount', 'AWSTraceHeader']);
    expect(input.MessageAttributeNames).toEqual(['tenant']);
    const all = receiveInput({ QueueUrl: 'q', MessageAttributeNames: ['All'], AttributeNames: ['All'] });
    expect(all.MessageAttributeNames).toEqual(['All']);
    expect(all.MessageSystemAttributeNames).toBeUndefined();
  });
});
