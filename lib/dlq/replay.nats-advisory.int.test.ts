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
import { REPLAY_HEADERS } from '@signalbox/instrumentation/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JetStreamDlqAdapter } from '@/lib/brokers/nats/dlq';
import { BROKERS, brokerGate } from '@/lib/testing/brokers';
import type { DlqService } from './service';
import { openDlqService } from './testing/dlq-service';
import { replayToEnd, testActor, waitFor } from './testing/support';
import { ORIGINAL_TRACE, ORIGINAL_TRACEPARENT, testTracer } from './testing/telemetry';

const gate = await brokerGate('nats');

/*
 * NATS's own dead-letter pattern: no copy is made, JetStream publishes an advisory when a consumer
 * gives up on a message (MaxDeliver) or the handler terminates it, and a stream captures those
 * advisories. Signalbox lists that stream whatever its name and shows each advisory as the failed
 * message it names, read from the work stream by sequence.
 */
describe.skipIf(gate.skip)('DLQ of JetStream failure advisories (real server, real DuckDB file)', () => {
  const run = randomUUID().slice(0, 8);
  const subject = `sbx.advisory.${run}.orders`;
  const workStream = `WORK_${run}`;
  // Named like nothing in particular; it captures every consumer advisory of the work stream, so it
  // also holds events that are no dead letters (consumer created), which must be neither counted nor shown.
  const dlqStream = `FAILURES_${run}`;
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
  /** Stream sequence in the work stream of each order published, by order id. */
  const originalSeq = new Map<number, number>();

  beforeAll(async () => {
    nc = await connect({ servers: settings.servers });
    jsm = await jetstreamManager(nc);
    js = jetstream(nc);
    await jsm.streams.add({ name: workStream, subjects: [subject] });
    await jsm.streams.add({
      name: dlqStream,
      subjects: [`$JS.EVENT.ADVISORY.CONSUMER.*.${workStream}.*`],
    });
    await jsm.consumers.add(workStream, {
      durable_name: 'billing',
      ack_policy: AckPolicy.Explicit,
      max_deliver: 2,
    });
    // The service under test: an order without an amount fails for real (nak, redelivered until
    // MaxDeliver); a poison order is terminated at once. Neither is copied anywhere by the app.
    messages = await (await js.consumers.get(workStream, 'billing')).consume();
    void (async () => {
      for await (const m of messages) {
        const order = m.json<{ id: number; amount?: number; poison?: boolean }>();
        if (fixed || (order.amount !== undefined && !order.poison)) {
          processed.push(m);
          m.ack();
        } else if (order.poison) m.term();
        else m.nak();
      }
    })();
    ({ service, close: closeService } = await openDlqService([new JetStreamDlqAdapter(settings)], {
      maxReplays: 3,
      tracer: telemetry.tracer,
    }));
  });

  afterAll(async () => {
    messages?.stop();
    for (const name of [workStream, dlqStream]) await jsm?.streams.delete(name).catch(() => undefined);
    await nc?.close();
    await closeService?.();
    await telemetry.shutdown();
  });

  const publish = async (order: { id: number; amount?: number; poison?: boolean }) => {
    const h = natsHeaders();
    h.set('traceparent', ORIGINAL_TRACEPARENT);
    const ack = await js.publish(subject, JSON.stringify(order), { headers: h });
    originalSeq.set(order.id, ack.seq);
  };
  /** The DLQ as the dashboard lists it (dead letters only). */
  const listed = async () => (await service.queues()).queues.find((q) => q.id === id);
  const deadLetters = async () => (await listed())?.messages;
  const waitForDeadLetters = (n: number) =>
    waitFor(async () => ((await deadLetters()) === n ? true : undefined), `${n} advisories`);
  const original = (orderId: number) =>
    jsm.streams.getMessage(workStream, { seq: originalSeq.get(orderId) ?? 0 });

  it('lists the advisory stream by what it captures and shows each advisory as the failed message; reading changes nothing', async () => {
    await publish({ id: 1, amount: 5 });
    await publish({ id: 41 });
    await publish({ id: 42 });
    await publish({ id: 50, amount: 1, poison: true });
    await waitForDeadLetters(3);
    expect(await listed()).toEqual({ id, system: 'nats', name: dlqStream, messages: 3, source: 'advisory' });
    // The stream holds the consumer-created event too: counted out above, left out below.
    const before = await jsm.streams.info(dlqStream);
    expect(before.state.messages).toBeGreaterThan(3);
    const consumerBefore = await jsm.consumers.info(workStream, 'billing');

    const { messages: views, groups } = await service.messages(id, {});
    expect(views).toHaveLength(3);
    const byOrder = new Map(views.map((v) => [(JSON.parse(v.body.preview) as { id: number }).id, v]));
    for (const orderId of [41, 42]) {
      const view = byOrder.get(orderId);
      expect(view?.failure).toMatchObject({
        reason: 'delivery_limit',
        attempts: 2,
        traceId: ORIGINAL_TRACE,
        source: {
          system: 'nats',
          destination: subject,
          consumerGroup: 'billing',
          offset: String(originalSeq.get(orderId)),
        },
      });
      expect(view?.headers.traceparent).toBe(ORIGINAL_TRACEPARENT);
      expect(view?.body).toMatchObject({ encoding: 'json', preview: JSON.stringify({ id: orderId }) });
      expect(view?.notReplayable).toBeUndefined();
    }
    expect(byOrder.get(50)?.failure).toMatchObject({
      reason: 'terminated',
      attempts: 1,
      traceId: ORIGINAL_TRACE,
      source: { destination: subject, offset: String(originalSeq.get(50)) },
    });
    expect(groups.map((g) => g.count).sort()).toEqual([1, 2]);
    // Keys are the advisories' sequences in the DLQ stream.
    for (const v of views) {
      const advisory = await jsm.streams.getMessage(dlqStream, { seq: Number(v.id) });
      expect(advisory?.subject).toMatch(
        /^\$JS\.EVENT\.ADVISORY\.CONSUMER\.(MAX_DELIVERIES|MSG_TERMINATED)\./,
      );
    }
    // Read by sequence: no consumer on the DLQ, and the work consumer's state is untouched.
    const after = await jsm.streams.info(dlqStream);
    expect(after.state).toMatchObject({
      messages: before.state.messages,
      last_seq: before.state.last_seq,
      consumer_count: 0,
    });
    const consumerAfter = await jsm.consumers.info(workStream, 'billing');
    expect(consumerAfter.ack_floor).toEqual(consumerBefore.ack_floor);
    expect(consumerAfter.delivered).toEqual(consumerBefore.delivered);
  });

  it('dry run: every failed message would go back to its subject, with the header diff; nothing changes', async () => {
    const dry = await service.replay(id, { all: true, dryRun: true }, testActor('test'));
    expect(dry).toMatchObject({
      dryRun: true,
      messages: 3,
      targets: { [subject]: 3 },
      poison: 0,
      skipped: 0,
    });
    if (!('dryRun' in dry)) throw new Error('expected a dry run');
    expect(dry.headerDiff.removed).toContain('traceparent');
    expect(Object.keys(dry.headerDiff.added)).toEqual(
      expect.arrayContaining([REPLAY_HEADERS.id, REPLAY_HEADERS.count]),
    );
    expect(await service.store.listJobs(10)).toEqual([]);
    expect(await deadLetters()).toBe(3);
  });

  it('replays the original messages to their subject, where the fixed consumer processes them; removes the advisories only', async () => {
    const workBefore = await jsm.streams.info(workStream);
    fixed = true;
    const done = await replayToEnd(service, id, { all: true }, 'alice');
    expect(done).toMatchObject({
      status: 'done',
      counts: { replayed: 3, poison: 0, skipped: 0 },
      expected: 3,
    });
    expect(await deadLetters()).toBe(0);

    const replayed = await waitFor(() => {
      const copies = processed.filter((m) => m.headers?.has(REPLAY_HEADERS.id));
      return copies.length === 3 ? copies : undefined;
    }, 'replayed orders processed');
    expect(replayed.map((m) => m.json<{ id: number }>().id).sort()).toEqual([41, 42, 50]);
    for (const m of replayed) {
      expect(m.headers?.get(REPLAY_HEADERS.count)).toBe('1');
      expect(m.headers?.get('Nats-Msg-Id')).toBe(m.headers?.get(REPLAY_HEADERS.id));
      expect(done.items.map((i) => i.replayId)).toContain(m.headers?.get(REPLAY_HEADERS.id));
      telemetry.expectReplayLinkedToOriginal(m.headers?.get('traceparent'), subject);
    }
    // The originals are left where their stream keeps them; the copies are new messages.
    for (const orderId of [41, 42, 50])
      expect((await original(orderId))?.json()).toEqual(
        orderId === 50 ? { id: 50, amount: 1, poison: true } : { id: orderId },
      );
    expect((await jsm.streams.info(workStream)).state.last_seq).toBe(workBefore.state.last_seq + 3);
    // The other server events the DLQ stream holds were neither replayed nor removed.
    expect((await jsm.streams.info(dlqStream)).state.messages).toBeGreaterThan(0);
  });

  it('an advisory whose message is gone says so, is skipped on replay, and can be deleted', async () => {
    fixed = false;
    await publish({ id: 60 });
    await waitForDeadLetters(1);
    const seq = originalSeq.get(60) ?? 0;
    // What a work-queue stream or the retention limits do to a failed message: it is gone.
    await jsm.streams.deleteMessage(workStream, seq);
    const [view] = (await service.messages(id, {})).messages;
    expect(view?.notReplayable).toMatch(
      new RegExp(`^original message no longer in stream ${workStream} \\(sequence ${seq}\\)`),
    );
    expect(view?.failure).toMatchObject({ reason: 'delivery_limit', attempts: 2 });
    expect(view?.failure.source).toMatchObject({ consumerGroup: 'billing', offset: String(seq) });

    const workBefore = await jsm.streams.info(workStream);
    for (const target of [undefined, subject]) {
      const dry = await service.replay(id, { all: true, dryRun: true, target }, testActor('bob'));
      expect(dry).toMatchObject({ messages: 0, skipped: 1 });
      const result = await replayToEnd(service, id, { all: true, target }, 'bob');
      expect(result).toMatchObject({ status: 'done', counts: { replayed: 0, skipped: 1 } });
      expect(result.items[0]?.detail).toBe(view?.notReplayable);
    }
    expect(await deadLetters()).toBe(1);
    expect((await jsm.streams.info(workStream)).state.last_seq).toBe(workBefore.state.last_seq);

    await service.deleteMessage(id, view?.id ?? '', testActor('carol'));
    expect(await deadLetters()).toBe(0);
  });
});
