import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import { brokerGate } from '@/lib/testing/brokers';
import { DlqArchiveStore } from './archive-store';
import { DlqArchiver } from './archiver';
import type { DlqService } from './service';
import { openDlqService } from './testing/dlq-service';
import { RABBIT_URL, rabbitSettings, tempDuckDb, testActor, unique, waitFor } from './testing/support';

const gate = await brokerGate('rabbitmq');

describe.skipIf(gate.skip)('DLQ archive mode (real RabbitMQ, real DuckDB file)', () => {
  const work = unique('invoices');
  const dlq = `${work}.dlq`;
  const id = `rabbitmq:${dlq}`;
  let connection: ChannelModel;
  let channel: Channel;
  let db: Awaited<ReturnType<typeof tempDuckDb>>;
  let service: DlqService;
  let archive: DlqArchiveStore;
  let archiver: DlqArchiver;

  beforeAll(async () => {
    connection = await amqp.connect(RABBIT_URL);
    channel = await connection.createChannel();
    await channel.assertQueue(dlq, { durable: false });
    await channel.assertQueue(work, {
      durable: false,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq },
    });
    // Three invoices a consumer rejects for real: RabbitMQ dead-letters them with x-death headers.
    for (let n = 1; n <= 3; n++)
      channel.sendToQueue(work, Buffer.from(JSON.stringify({ invoice: n })), { messageId: `inv-${n}` });
    for (let n = 0; n < 3; n++) {
      const msg = await waitFor(async () => (await channel.get(work)) || undefined, 'an invoice');
      channel.nack(msg, false, false);
    }
    await waitFor(async () => ((await channel.checkQueue(dlq)).messageCount === 3 ? true : undefined), 'DLQ');

    ({ service, db } = await openDlqService([new RabbitMqDlqAdapter(rabbitSettings([work]))], {
      maxReplays: 3,
    }));
    archive = await DlqArchiveStore.create(await db.connect());
    archiver = new DlqArchiver(service, archive, 60_000);
  });

  afterAll(async () => {
    await channel?.deleteQueue(work).catch(() => undefined);
    await channel?.deleteQueue(dlq).catch(() => undefined);
    await connection?.close();
    await archiver?.stop();
    await service?.close();
    db?.close();
  });

  it('copies every dead letter into the store, with its parsed failure and body', async () => {
    let clock = 1_000;
    const [pass] = (await archiver.pass(() => clock)).filter((p) => p.queueId === id);
    expect(pass).toMatchObject({ queueId: id, added: 3, gone: 0, error: null });
    expect(await archive.counts(id)).toEqual({ archived: 3, gone: 0 });
    // A second pass over the same messages adds nothing.
    clock = 2_000;
    expect((await archiver.pass(() => clock)).find((p) => p.queueId === id)).toMatchObject({
      added: 0,
      gone: 0,
    });
    // Reading left them in the broker.
    expect((await channel.checkQueue(dlq)).messageCount).toBe(3);
  });

  it('keeps the evidence after the broker lost it (purge), marked gone', async () => {
    await service.purge(id, testActor('test'), dlq);
    const [pass] = (await archiver.pass(() => 3_000)).filter((p) => p.queueId === id);
    expect(pass).toMatchObject({ added: 0, gone: 3 });
    const gone = await archive.list(id, { goneOnly: true, limit: 10 });
    expect(gone.map((g) => g.goneAtMs)).toEqual([3_000, 3_000, 3_000]);
    expect(gone.map((g) => g.firstSeenMs)).toEqual([1_000, 1_000, 1_000]);
    const first = gone.find((g) => g.message.id === 'msg:inv-1');
    expect(first?.message.body).toMatchObject({ encoding: 'json', preview: '{"invoice":1}' });
    // RabbitMQ's own x-death dialect, parsed at archive time.
    expect(first?.message.failure).toMatchObject({ reason: 'rejected', source: { destination: work } });
  });

  it('shows the page and the API one view of the queue: settings, counts, last pass, messages', async () => {
    const view = await archiver.view(id, { goneOnly: true, limit: 2 });
    expect(view).toMatchObject({
      enabled: true,
      intervalSeconds: 60,
      counts: { archived: 3, gone: 3 },
      lastPass: { queueId: id, atMs: 3_000, gone: 3 },
    });
    expect(view.messages).toHaveLength(2);
  });
});
