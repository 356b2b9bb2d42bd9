import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import { instrumentAmqpChannel } from '@signalbox/instrumentation';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import { DuckDbReplayStore } from '@/lib/dlq/duckdb-replay-store';
import { DlqService, type JobView } from '@/lib/dlq/service';
import {
  rabbitSettings,
  RABBIT_URL,
  tempDuckDb,
  testActor,
  unique,
  waitFor,
} from '@/lib/dlq/testing/support';
import { createSelfTracer, DASHBOARD_SERVICE } from '@/lib/ingest/self-tracer';
import { brokerGate } from '@/lib/testing/brokers';
import { startInProcessDashboard, stopInProcessDashboard } from '@/lib/testing/in-process-dashboard';
import { tracedService } from '@/lib/testing/traced-service';
import { getJourney, type Journey } from './journeys';
import { unmasked } from '@/lib/masking/testing';

// A message's whole life on a real RabbitMQ, as the journey page shows it: an instrumented shop
// sends an order to Q (dead-lettering to Q.dlq through the default exchange); the instrumented
// billing consumer fails and nacks it without requeue, so RabbitMQ moves it to Q.dlq; an operator
// replays it with the dashboard's DLQ service (its spans go into the dashboard's store through the
// self tracer, as in lib/runtime); billing, fixed, processes the replayed copy.
const gate = await brokerGate('rabbitmq');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-journey-replay-'));
process.env.SIGNALBOX_DATA_DIR = dataDir;

describe.skipIf(gate.skip)('a dead-lettered then replayed message’s journey (real RabbitMQ)', () => {
  const queue = unique('orders');
  const dlq = `${queue}.dlq`;
  const shop = tracedService(unique('shop'));
  const billing = tracedService(unique('billing'));
  let connection: ChannelModel;
  let db: Awaited<ReturnType<typeof tempDuckDb>>;
  let dlqService: DlqService;
  let job: JobView;
  const messageId = unique('order');
  let journey: Journey;
  let fromReplay: Journey;

  beforeAll(async () => {
    const routes = await startInProcessDashboard();
    const { getStore } = await import('@/lib/runtime');
    const self = createSelfTracer(getStore);
    connection = await amqp.connect(RABBIT_URL);
    const admin = await connection.createChannel();
    await admin.assertQueue(dlq, { durable: false });
    await admin.assertQueue(queue, {
      durable: false,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq },
    });

    let fixed = false;
    const handled: string[] = [];
    const consumer = instrumentAmqpChannel(await connection.createChannel(), billing.options);
    await consumer.consume(queue, (msg) => {
      if (!msg) return;
      try {
        if (!fixed) throw new Error('card declined');
        consumer.ack(msg);
        handled.push('ok');
      } catch (error) {
        // No requeue: RabbitMQ dead-letters it to Q.dlq (the queue's x-dead-letter-* arguments).
        consumer.nack(msg, false, false);
        handled.push('failed');
        // Handled here rather than thrown (amqplib would leave it unhandled): recorded on the process span.
        trace.getActiveSpan()?.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      }
    });
    const publisher = instrumentAmqpChannel(await connection.createChannel(), shop.options);
    publisher.sendToQueue(queue, Buffer.from('{"order":1}'), { messageId });
    await waitFor(
      async () => ((await admin.checkQueue(dlq)).messageCount === 1 ? true : undefined),
      'dead letter',
    );

    db = await tempDuckDb();
    dlqService = new DlqService(
      [new RabbitMqDlqAdapter(rabbitSettings([queue]))],
      await DuckDbReplayStore.create(db.connection),
      { maxReplays: 3, browseLimit: 100, tracer: self.tracer, masker: unmasked },
    );
    fixed = true;
    const started = (await dlqService.replay(
      `rabbitmq:${dlq}`,
      { all: true },
      testActor('alice'),
    )) as JobView;
    await dlqService.idle();
    job = (await dlqService.job(started.id))!;
    await waitFor(() => (handled.includes('ok') ? true : undefined), 'the replayed copy processed');
    await sleep(100);
    await self.forceFlush();
    for (const s of [shop, billing]) expect(await s.exportTo(routes)).toEqual([200, 200]);
    await self.shutdown();
    // As the page loads it for the id a person pastes: the message id, or the replay's trace id.
    journey = await getJourney(await getStore(), { messageId }, unmasked);
    const replayTrace = journey.spans.find((s) => s.service === DASHBOARD_SERVICE)?.traceId ?? 'none';
    fromReplay = await getJourney(await getStore(), { traceId: replayTrace }, unmasked);
  });

  afterAll(async () => {
    const admin = await connection?.createChannel();
    for (const q of [queue, dlq]) await admin?.deleteQueue(q).catch(() => undefined);
    await connection?.close();
    await dlqService?.close();
    db?.close();
    await stopInProcessDashboard([shop, billing], dataDir);
  });

  /** The journey as the page reads it, one line per hop and per consumer. */
  const story = (j: Journey) =>
    j.hops.flatMap((hop) => [
      hop.replay
        ? `#${hop.index} replay ${hop.replay.id} by ${hop.send?.service} → ${hop.destination}: from ${hop.replay.dlq}, ` +
          `job ${hop.replay.jobId} by ${hop.replay.actor}, copy of #${hop.replay.of}`
        : hop.deadLetter
          ? `#${hop.index} dead-lettered → ${hop.destination} after #${hop.causedBy}`
          : `#${hop.index} ${hop.send?.service} → ${hop.destination}`,
      ...hop.deliveries.map(
        (d) =>
          `  ${d.service} ${d.outcome}` +
          d.attempts
            .map(
              (a) => ` [${a.status}${a.statusMessage ? `: ${a.statusMessage}` : ''}, ${a.settle?.operation}]`,
            )
            .join(''),
      ),
    ]);

  it('lists the send, the failure, the DLQ, the replay linked to it, and the processing after it, in order', () => {
    expect(job.items).toHaveLength(1);
    const [replay] = job.items;
    expect(story(journey)).toEqual([
      `#0 ${shop.name} → ${queue}`,
      `  ${billing.name} dead-lettered [error: card declined, nack]`,
      `#1 dead-lettered → ${dlq} after #0`,
      `#2 replay ${replay?.replayId} by ${DASHBOARD_SERVICE} → ${queue}: from ${dlq}, job ${job.id} by alice, copy of #1`,
      `  ${billing.name} processed [unset, ack]`,
    ]);
  });

  it('keeps them in time order, and shows the same journey from the replay’s own trace', () => {
    const times = journey.hops.map((h) =>
      Date.parse(h.send?.sentAt ?? journey.hops[h.causedBy ?? 0]!.deliveries[0]!.attempts[0]!.startedAt),
    );
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(story(fromReplay)).toEqual(story(journey));
  });
});
