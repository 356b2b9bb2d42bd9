import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { deadLetterAmqp } from '@signalbox/instrumentation';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KnownDlqNames } from '@/lib/brokers/dlq-known-names';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import { StoreSpanExporter } from '@/lib/ingest/store-span-exporter';
import { DuckDbStore } from '@/lib/store/duckdb-store';
import { brokerGate } from '@/lib/testing/brokers';
import { DuckDbReplayStore } from './duckdb-replay-store';
import { learnDlqNames } from './learn-names';
import { DlqService } from './service';
import { RABBIT_URL, rabbitSettings, tempDuckDb, unique, waitFor } from './testing/support';
import { unmasked } from '@/lib/masking/testing';

const gate = await brokerGate('rabbitmq');

describe.skipIf(gate.skip)("DLQ discovery by Signalbox's own header (real RabbitMQ, real DuckDB)", () => {
  const queue = unique('refunds');
  // A name no convention recognises: only the dead-letter span says it is a DLQ.
  const graveyard = unique('refund-graveyard');
  let connection: ChannelModel;
  let channel: ConfirmChannel;
  let db: Awaited<ReturnType<typeof tempDuckDb>>;
  let telemetry: DuckDbStore;
  let provider: BasicTracerProvider;

  beforeAll(async () => {
    connection = await amqp.connect(RABBIT_URL);
    channel = await connection.createConfirmChannel();
    await channel.assertQueue(queue, { durable: false });
    await channel.assertQueue(graveyard, { durable: false });
    db = await tempDuckDb();
    telemetry = await DuckDbStore.open(`${db.file}.telemetry`, {
      queueMaxRows: 10_000,
      memoryLimit: '256MB',
      retentionHours: 24,
      retentionMaxBytes: 0,
      maintenanceIntervalMs: 0,
    });
    // The service's own telemetry, recorded into the dashboard's store as OTLP ingest would.
    provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'refunder' }),
      spanProcessors: [new SimpleSpanProcessor(new StoreSpanExporter(() => Promise.resolve(telemetry)))],
    });
    channel.sendToQueue(queue, Buffer.from('{"refund":1}'));
    const msg = await waitFor(async () => (await channel.get(queue)) || undefined, 'a refund');
    await deadLetterAmqp(channel, msg, {
      queue,
      deadLetterQueue: graveyard,
      error: new Error('refund window closed'),
      tracerProvider: provider,
    });
    channel.ack(msg);
    await provider.forceFlush();
  });

  afterAll(async () => {
    await channel?.deleteQueue(queue).catch(() => undefined);
    await channel?.deleteQueue(graveyard).catch(() => undefined);
    await connection?.close();
    await provider?.shutdown();
    await telemetry?.close();
    db?.close();
  });

  it('lists a DLQ of any name once a service dead-lettered into it', async () => {
    const known = new KnownDlqNames();
    const service = new DlqService(
      [new RabbitMqDlqAdapter(rabbitSettings([queue]), known)],
      await DuckDbReplayStore.create(db.connection),
      { maxReplays: 3, browseLimit: 100, masker: unmasked },
    );
    try {
      // Without the telemetry, the name says nothing.
      expect((await service.queues()).queues.map((q) => q.name)).not.toContain(graveyard);
      await learnDlqNames(() => Promise.resolve(telemetry), new Map([['rabbitmq', known]]));
      const listed = (await service.queues()).queues.find((q) => q.name === graveyard);
      expect(listed).toEqual({
        id: `rabbitmq:${graveyard}`,
        system: 'rabbitmq',
        name: graveyard,
        messages: 1,
        source: 'signalbox-header',
      });
    } finally {
      await service.close();
    }
  });
});
