import { randomUUID } from 'node:crypto';
import {
  AckPolicy,
  type ConsumerMessages,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, connect, headers as natsHeaders } from '@nats-io/transport-node';
import { deadLetterJetStream, REPLAY_HEADERS } from '@signalbox/instrumentation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DlqBrokerError } from '@/lib/brokers/dlq-types';
import { JetStreamDlqAdapter } from '@/lib/brokers/nats/dlq';
import { replayId } from '@/lib/brokers/replay-id';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import type { DlqService } from './service';
import { openDlqService } from './testing/dlq-service';
import {
  expectDryRunOfTwo,
  expectPoisonOnSecondReplay,
  replayToEnd,
  testActor,
  waitFor,
} from './testing/support';
import { ORIGINAL_TRACE, ORIGINAL_TRACEPARENT, OrderValidationError, testTracer } from './testing/telemetry';

const gate = await brokerGate('nats');

describe.skipIf(gate.skip)('DLQ replay on NATS JetStream (real server, real DuckDB file)', () => {
  const run = randomUUID().slice(0, 8);
  const prefix = `sbx.dlqreplay.${run}`;
  const subject = `${prefix}.orders`;
  const stream = `ORDERS_${run}`;
  // Named like nothing in particular: it is found by its subject, `dlq.<subject>` (deadLetterJetStream's default).
  const dlqStream = `DEAD_${run}`;
  const copiesStream = `COPIES_${run}`;
  const id = `nats:${dlqStream}`;
  const settings = { servers: [`${BROKERS.nats.host}:${BROKERS.nats.port}`], tls: null };
  const telemetry = testTracer();
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let js: JetStreamClient;
  let messages: ConsumerMessages;
  let service: DlqService;
  let closeService: () => Promise<void>;
  let fixed = false;
  const processed: JsMsg[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: settings.servers });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`] });
    await jsm.streams.add({ name: dlqStream, subjects: [`dlq.${prefix}.>`] });
    await jsm.streams.add({ name: copiesStream, subjects: [`copies.${prefix}`] });
    await jsm.consumers.add(stream, {
      durable_name: 'billing',
      ack_policy: AckPolicy.Explicit,
      max_deliver: 5,
    });
    // The service under test: it fails orders without an amount, for real; after the second delivery
    // it dead-letters them with the instrumentation's helper and terminates the original.
    messages = await (await js.consumers.get(stream, 'billing')).consume();
    void (async () => {
      for await (const m of messages) {
        try {
          const order = m.json<{ id: number; amount?: number }>();
          if (order.amount === undefined && !fixed)
            throw new OrderValidationError(`order ${order.id} has no amount`);
          processed.push(m);
          m.ack();
        } catch (error) {
          if (m.info.deliveryCount < 2) m.nak();
          else {
            await deadLetterJetStream(js, m, { error, consumerGroup: 'billing' });
            m.term();
          }
        }
      }
    })();
    ({ service, close: closeService } = await openDlqService([new JetStreamDlqAdapter(settings)], {
      tracer: telemetry.tracer,
    }));
  });

  afterAll(async () => {
    messages?.stop();
    for (const name of [stream, dlqStream, copiesStream])
      await jsm?.streams.delete(name).catch(() => undefined);
    await nc?.close();
    await closeService?.();
    await telemetry.shutdown();
  });

  const publish = (order: object) => {
    const h = natsHeaders();
    h.set('traceparent', ORIGINAL_TRACEPARENT);
    return js.publish(subject, JSON.stringify(order), { headers: h });
  };
  const held = async () => (await jsm.streams.info(dlqStream)).state.messages;
  const replayedHere = () => processed.filter((m) => m.headers?.has(REPLAY_HEADERS.id));

  it('finds the DLQ stream by its dlq.> subject and shows each failure; browsing leaves the stream as it was', async () => {
    await publish({ id: 1, amount: 5 });
    await publish({ id: 41 });
    await publish({ id: 42 });
    await waitFor(async () => ((await held()) === 2 ? true : undefined), 'two dead letters');
    const { queues } = await service.queues();
    expect(queues).toContainEqual({ id, system: 'nats', name: dlqStream, messages: 2, source: 'name' });

    const before = await jsm.streams.info(dlqStream);
    const { messages: views, groups } = await service.messages(id, {});
    expect(views).toHaveLength(2);
    for (const m of views) {
      expect(m.failure).toMatchObject({
        reason: 'error',
        errorType: 'OrderValidationError',
        source: { system: 'nats', destination: subject, consumerGroup: 'billing' },
        attempts: 2,
        traceId: ORIGINAL_TRACE,
      });
      expect(m.failure.errorMessage).toMatch(/^order 4[12] has no amount$/);
      expect(m.id).toMatch(/^\d+$/);
      expect(m.body.encoding).toBe('json');
    }
    expect(groups).toMatchObject([{ count: 2, errorType: 'OrderValidationError' }]);
    // Read by sequence: same messages, same sequences, no consumer left behind.
    const after = await jsm.streams.info(dlqStream);
    expect(after.state).toMatchObject({
      messages: before.state.messages,
      first_seq: before.state.first_seq,
      last_seq: before.state.last_seq,
      consumer_count: 0,
    });
  });

  it('lists a configured stream as configured', async () => {
    const adapter = new JetStreamDlqAdapter(settings, [stream]);
    try {
      expect(await adapter.discover()).toContainEqual(
        expect.objectContaining({ name: stream, source: 'config' }),
      );
    } finally {
      await adapter.close();
    }
  });

  it('dry run reports count, target and header diff, and changes nothing', async () => {
    await expectDryRunOfTwo(service, id, subject);
    expect(await held()).toBe(2);
  });

  it('replays to the original subject; the consumer processes them in a new trace linked to the old', async () => {
    fixed = true;
    const done = await replayToEnd(service, id, { all: true }, 'alice');
    expect(done).toMatchObject({ status: 'done', counts: { replayed: 2, poison: 0 }, expected: 2 });
    expect(await held()).toBe(0);
    const replayed = await waitFor(
      () => (replayedHere().length === 2 ? replayedHere() : undefined),
      'replayed orders processed',
    );
    for (const m of replayed) {
      expect(m.headers?.get(REPLAY_HEADERS.count)).toBe('1');
      expect(m.headers?.has('signalbox-dlq-error-type')).toBe(false);
      // The replay id is also the copy's Nats-Msg-Id (JetStream's de-duplication key).
      expect(m.headers?.get('Nats-Msg-Id')).toBe(m.headers?.get(REPLAY_HEADERS.id));
      expect(done.items.map((i) => i.replayId)).toContain(m.headers?.get(REPLAY_HEADERS.id));
      telemetry.expectReplayLinkedToOriginal(m.headers?.get('traceparent'), subject);
    }
  });

  it('a copy resent with the same replay id is stored once; a subject no stream captures is an error', async () => {
    const adapter = new JetStreamDlqAdapter(settings);
    try {
      const session = await adapter.open(copiesStream, { jobId: 'resend', cursor: null });
      const copy = {
        headers: { [REPLAY_HEADERS.id]: replayId('resend', '7'), 'Nats-Expected-Stream': 'elsewhere' },
        body: Buffer.from('{"id":7}'),
        messageKey: null,
      };
      await session.publish(`copies.${prefix}`, [copy]);
      await session.publish(`copies.${prefix}`, [copy]);
      expect((await jsm.streams.info(copiesStream)).state.messages).toBe(1);
      await expect(session.publish(`nowhere.${prefix}`, [copy])).rejects.toThrow(DlqBrokerError);
      await expect(session.publish(`nowhere.${prefix}`, [copy])).rejects.toThrow(
        /no JetStream stream captures/,
      );
    } finally {
      await adapter.close();
    }
  });

  it('reads past deleted sequences (replayed messages leave gaps) in order, up to the end it started with', async () => {
    const gapStream = `GAPS_${run}`;
    await jsm.streams.add({ name: gapStream, subjects: [`gaps.${prefix}`] });
    const adapter = new JetStreamDlqAdapter(settings);
    try {
      for (let i = 1; i <= 200; i++) await js.publish(`gaps.${prefix}`, String(i));
      // Every third message, and a run longer than the adapter's read window.
      const deleted = new Set<number>();
      for (let seq = 1; seq <= 200; seq++) if (seq % 3 === 0 || (seq > 60 && seq <= 140)) deleted.add(seq);
      for (const seq of deleted) await jsm.streams.deleteMessage(gapStream, seq, false);
      const kept = Array.from({ length: 200 }, (_, i) => i + 1).filter((seq) => !deleted.has(seq));
      const session = await adapter.open(gapStream, { jobId: 'gaps', cursor: null });
      await js.publish(`gaps.${prefix}`, 'after the pass started');
      const read: string[] = [];
      for (let r = await session.next(); r; r = await session.next()) read.push(r.key);
      expect(read).toEqual(kept.map(String));
      expect((await adapter.browse(gapStream, 10)).truncated).toBe(true);
    } finally {
      await adapter.close();
      await jsm.streams.delete(gapStream).catch(() => undefined);
    }
  });

  it('a poison message stops after N re-failures and stays in the DLQ', async () => {
    fixed = false;
    await publish({ id: 99 });
    const first = await waitFor(
      async () => (await service.messages(id, { text: '"id":99' })).messages[0],
      'dead letter 99',
    );
    const { job } = await expectPoisonOnSecondReplay(service, id, {
      request: { messageIds: [first.id] },
      filter: { text: '"id":99' },
      except: first.id,
    });
    expect(job.items[0]?.detail).toMatch(/replayed 1 times/);
    expect(await held()).toBe(1);
  });

  it('deletes one message by sequence and purges, each recorded in the audit log', async () => {
    const [m] = (await service.messages(id, {})).messages;
    await service.deleteMessage(id, m?.id ?? '', testActor('carol'));
    expect(await held()).toBe(0);
    await publish({ id: 100 });
    await waitFor(async () => ((await held()) === 1 ? true : undefined), 'dead letter 100');
    await expect(service.purge(id, testActor('carol'), 'wrong')).rejects.toThrow(/confirm/);
    expect(await service.purge(id, testActor('carol'), dlqStream)).toEqual({ purged: 1 });
    const log = await service.store.audit.list(10, id);
    expect(log.slice(0, 2).map((e) => e.action)).toEqual(['purge', 'delete']);
  });
});
