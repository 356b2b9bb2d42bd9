import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKERS, brokerGate } from '../../../lib/testing/brokers.js';
import { parseDeadLetter } from '../../src/dlq/parse.js';
import { deadLetterRedisStream } from '../../src/brokers/redis-streams/dead-letter.js';
import { uniqueName } from '../support/brokers.js';
import { deadLetterTelemetry, PaymentDeclined, TRACEPARENT } from './telemetry-support.js';

const gate = await brokerGate('redis');

type Entry = [id: string, fields: string[]];

describe.skipIf(gate.skip)('dead letters on Redis Streams (real server)', () => {
  const telemetry = deadLetterTelemetry();
  const stream = uniqueName('dlq-stream');
  const dlq = `${stream}:dlq`;
  const group = 'billing';
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis({ host: BROKERS.redis.host, port: BROKERS.redis.port, lazyConnect: true });
    await redis.connect();
    await redis.call('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM');
  });

  afterAll(async () => {
    await redis?.del(stream, dlq);
    await redis?.quit();
    await telemetry.shutdown();
  });

  it('XADDs the entry to <stream>:dlq with the header set as fields, and parses back to the same failure', async () => {
    await redis.xadd(stream, '*', 'traceparent', TRACEPARENT, 'order', '{"id":1}');
    // ioredis 6 speaks RESP3: XREADGROUP's reply is a map, flattened to [stream, entries].
    const read = (await redis.call(
      'XREADGROUP',
      'GROUP',
      group,
      'worker-1',
      'COUNT',
      '1',
      'STREAMS',
      stream,
      '>',
    )) as [string, Entry[]];
    const [id, fields] = read[1][0]!;
    // The delivery count Redis keeps for the pending entry.
    const pending = (await redis.call('XPENDING', stream, group, '-', '+', '1')) as [
      string,
      string,
      number,
      number,
    ][];
    const deliveryCount = pending[0]![3];

    const result = await deadLetterRedisStream(
      redis,
      { stream, id, fields },
      {
        group,
        deliveryCount,
        error: new PaymentDeclined('card declined'),
        tracerProvider: telemetry.tracerProvider,
        meterProvider: telemetry.meterProvider,
      },
    );
    await redis.call('XACK', stream, group, id); // only after the copy was added
    expect(result.deadLetterDestination).toBe(dlq);

    // Read back as Buffers, as a binary-safe consumer would.
    const copies = (await redis.callBuffer('XRANGE', dlq, '-', '+')) as [Buffer, Buffer[]][];
    expect(copies).toHaveLength(1);
    const [copyId, copyFields] = copies[0]!;
    expect(copyId.toString()).toBe(result.entryId);
    const failure = parseDeadLetter({ system: 'redis', destination: dlq, headers: copyFields });
    expect(failure).toMatchObject({
      dialect: 'signalbox',
      errorType: 'PaymentDeclined',
      errorMessage: 'card declined',
      source: { system: 'redis', destination: stream, offset: id, consumerGroup: group },
      attempts: 1,
      traceparent: TRACEPARENT,
    });
    const asText = copyFields.map((field) => field.toString());
    expect(asText.slice(0, 4)).toEqual(['traceparent', TRACEPARENT, 'order', '{"id":1}']);
    expect(await telemetry.deadLetterCounts()).toEqual([
      {
        value: 1,
        attributes: {
          'messaging.system': 'redis',
          'messaging.destination.name': stream,
          'error.type': 'PaymentDeclined',
        },
      },
    ]);
  });

  it('replaces an earlier header set instead of repeating it, adding up attempts', async () => {
    const [[copyId, copyFields]] = (await redis.call('XRANGE', dlq, '-', '+')) as Entry[] as [Entry];
    const first = parseDeadLetter({ system: 'redis', destination: dlq, headers: copyFields });
    await deadLetterRedisStream(
      redis,
      { stream, id: copyId, fields: copyFields },
      { error: new Error('again') },
    );
    const entries = (await redis.call('XRANGE', dlq, '-', '+')) as Entry[];
    const [, fields] = entries[1]!;
    const names = fields.filter((_, i) => i % 2 === 0);
    expect(names.filter((n) => n === 'signalbox-dlq-attempts')).toHaveLength(1);
    const failure = parseDeadLetter({ system: 'redis', destination: dlq, headers: fields });
    expect(failure).toMatchObject({ attempts: 2, firstFailedAt: first.firstFailedAt, errorMessage: 'again' });
  });
});
