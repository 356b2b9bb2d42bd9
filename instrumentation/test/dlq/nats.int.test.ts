import { randomUUID } from 'node:crypto';
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { connect, headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BROKERS, brokerGate } from '../../../lib/testing/brokers.js';
import { deadLetterJetStream } from '../../src/brokers/nats/dead-letter.js';
import { parseDeadLetter } from '../../src/dlq/parse.js';
import { deadLetterTelemetry, PaymentDeclined, TRACEPARENT } from './telemetry-support.js';

const gate = await brokerGate('nats');

describe.skipIf(gate.skip)('dead letters on NATS JetStream (real server)', () => {
  const telemetry = deadLetterTelemetry();
  const id = randomUUID().replaceAll('-', '');
  const stream = `SBX_DLQ_${id}`;
  const dlqStream = `SBX_DLQ_DEAD_${id}`;
  const prefix = `sbx.dlq.${id}`;
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connect({ servers: `${BROKERS.nats.host}:${BROKERS.nats.port}` });
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], allow_direct: true });
    // The dead-letter stream: Limits retention (the default), its own subjects.
    await jsm.streams.add({ name: dlqStream, subjects: [`dlq.${prefix}.>`], allow_direct: true });
  });

  afterAll(async () => {
    for (const name of [stream, dlqStream]) await jsm?.streams.delete(name).catch(() => undefined);
    await nc?.close();
    await telemetry.shutdown();
  });

  async function nextMessage(consumerName: string): Promise<JsMsg> {
    const consumer = await jetstream(nc).consumers.get(stream, consumerName);
    const msg = await consumer.next({ expires: 5_000 });
    if (!msg) throw new Error(`no message for ${consumerName}`);
    return msg;
  }

  /** Subscribes to an advisory and returns its first payload. */
  function firstAdvisory(kind: 'MAX_DELIVERIES' | 'MSG_TERMINATED', consumer: string): Promise<Uint8Array> {
    const sub = nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.${kind}.${stream}.${consumer}`, { max: 1 });
    return (async () => {
      for await (const msg of sub) return msg.data;
      throw new Error('advisory subscription closed');
    })();
  }

  it('reads the max_deliver advisory of a consumer that naks until max_deliver=2', async () => {
    const consumer = `maxdeliver${id}`;
    await jsm.consumers.add(stream, {
      durable_name: consumer,
      ack_policy: AckPolicy.Explicit,
      max_deliver: 2,
    });
    const advisory = firstAdvisory('MAX_DELIVERIES', consumer);
    await nc.flush();
    const h = natsHeaders();
    h.set('traceparent', TRACEPARENT);
    const ack = await jetstream(nc).publish(`${prefix}.created`, '{"order":1}', { headers: h });
    (await nextMessage(consumer)).nak();
    (await nextMessage(consumer)).nak();
    // The server gives up on the message (and advises) when it would deliver it a third time: pull once more.
    const pull = await jetstream(nc).consumers.get(stream, consumer);
    expect(await pull.next({ expires: 2_000 })).toBeNull();
    const payload = await advisory;

    // What the dashboard does next: fetch the original by its stream sequence.
    const original = await jsm.direct.getMessage(stream, { seq: ack.seq });
    const failure = parseDeadLetter({
      system: 'nats',
      destination: stream,
      advisory: payload,
      headers: original?.header,
    });
    expect(failure).toMatchObject({
      dialect: 'nats',
      reason: 'delivery_limit',
      source: {
        system: 'nats',
        destination: `${prefix}.created`,
        offset: String(ack.seq),
        consumerGroup: consumer,
      },
      attempts: 2,
      traceparent: TRACEPARENT,
    });
    expect(failure.details['nats.stream']).toBe(stream);
    expect(failure.lastFailedAt).not.toBeNull();
  });

  it('reads the terminated advisory after AckTerm', async () => {
    const consumer = `term${id}`;
    await jsm.consumers.add(stream, {
      durable_name: consumer,
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${prefix}.term`,
    });
    const advisory = firstAdvisory('MSG_TERMINATED', consumer);
    await nc.flush();
    const ack = await jetstream(nc).publish(`${prefix}.term`, 'bad');
    (await nextMessage(consumer)).term();
    const failure = parseDeadLetter({ system: 'nats', destination: stream, advisory: await advisory });
    expect(failure).toMatchObject({
      reason: 'terminated',
      source: { offset: String(ack.seq), consumerGroup: consumer },
      attempts: 1,
    });
  });

  it('deadLetterJetStream publishes to dlq.<subject> and parses back to the same failure', async () => {
    const consumer = `dl${id}`;
    await jsm.consumers.add(stream, {
      durable_name: consumer,
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${prefix}.paid`,
    });
    const h = natsHeaders();
    h.set('traceparent', TRACEPARENT);
    h.set('x-app', 'shop');
    const published = await jetstream(nc).publish(`${prefix}.paid`, '{"order":2}', {
      headers: h,
      msgID: `m-${id}`,
    });
    const failing = await nextMessage(consumer);
    const result = await deadLetterJetStream(jetstream(nc), failing, {
      error: new PaymentDeclined('card declined'),
      tracerProvider: telemetry.tracerProvider,
      meterProvider: telemetry.meterProvider,
    });
    failing.ack(); // only after the copy was stored
    expect(result.deadLetterDestination).toBe(`dlq.${prefix}.paid`);
    expect(result.ack.stream).toBe(dlqStream);

    const copy = await jsm.direct.getMessage(dlqStream, { seq: result.ack.seq });
    expect(copy?.string()).toBe('{"order":2}');
    expect(copy?.header.get('x-app')).toBe('shop');
    // The server-interpreted id of the original is not carried over.
    expect(copy?.header.get('Nats-Msg-Id')).toBe('');
    const failure = parseDeadLetter({ system: 'nats', destination: dlqStream, headers: copy?.header });
    expect(failure).toMatchObject({
      dialect: 'signalbox',
      errorType: 'PaymentDeclined',
      errorMessage: 'card declined',
      source: {
        system: 'nats',
        destination: `${prefix}.paid`,
        offset: String(published.seq),
        consumerGroup: consumer,
      },
      attempts: 1,
      traceparent: TRACEPARENT,
    });
    expect(await telemetry.deadLetterCounts()).toEqual([
      {
        value: 1,
        attributes: {
          'messaging.system': 'nats',
          'messaging.destination.name': `${prefix}.paid`,
          'error.type': 'PaymentDeclined',
        },
      },
    ]);
  });

  it('rejects when no stream captures the dead-letter subject', async () => {
    const consumer = `nostream${id}`;
    await jsm.consumers.add(stream, {
      durable_name: consumer,
      ack_policy: AckPolicy.Explicit,
      filter_subject: `${prefix}.lost`,
    });
    await jetstream(nc).publish(`${prefix}.lost`, 'x');
    const failing = await nextMessage(consumer);
    await expect(
      deadLetterJetStream(jetstream(nc), failing, { error: new Error('x'), subject: `nowhere.${id}` }),
    ).rejects.toThrow();
    failing.nak();
  });
});
