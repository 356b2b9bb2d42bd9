import amqp, { type Channel, type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RabbitMqDlqAdapter } from '@/lib/brokers/rabbitmq/dlq';
import { DEFAULT_MASKING, Masker } from '@/lib/masking';
import { brokerGate } from '@/lib/testing/brokers';
import { DlqArchiveStore } from './archive-store';
import { DlqArchiver } from './archiver';
import type { DlqService, JobView } from './service';
import { openDlqService } from './testing/dlq-service';
import { RABBIT_URL, rabbitSettings, tempDuckDb, testActor, unique, waitFor } from './testing/support';

const gate = await brokerGate('rabbitmq');

/** What must not leave the server, in any form the views could show it. */
const SECRETS = [/4111[ -]?1111/, /jane\.doe@example\.com/, /s3cr3t-basic-credential/];
const expectNoSecrets = (what: unknown) => {
  const text = JSON.stringify(what);
  for (const secret of SECRETS) expect(text).not.toMatch(secret);
};

describe.skipIf(gate.skip)('masking on a real RabbitMQ DLQ (browse, archive, replay)', () => {
  const work = unique('payments');
  const dlq = `${work}.dlq`;
  const target = `${work}.retry`;
  const id = `rabbitmq:${dlq}`;
  const body = Buffer.from(
    JSON.stringify({ payment: 7, card: { number: '4111 1111 1111 1111' }, email: 'jane.doe@example.com' }),
  );
  const authorization = 'Basic s3cr3t-basic-credential';
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
    await channel.assertQueue(target, { durable: false });
    await channel.assertQueue(work, {
      durable: false,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq },
    });
    // A payment a consumer rejects for real: RabbitMQ dead-letters it, card, e-mail and credential included.
    channel.sendToQueue(work, body, {
      messageId: 'pay-7',
      contentType: 'application/json',
      headers: { authorization, tenant: 'acme' },
    });
    const msg = await waitFor(async () => (await channel.get(work)) || undefined, 'the payment');
    channel.nack(msg, false, false);
    await waitFor(async () => ((await channel.checkQueue(dlq)).messageCount === 1 ? true : undefined), 'DLQ');

    ({ service, db } = await openDlqService([new RabbitMqDlqAdapter(rabbitSettings([work]))], {
      masker: new Masker(DEFAULT_MASKING),
      maxReplays: 3,
    }));
    archive = await DlqArchiveStore.create(await db.connect());
    archiver = new DlqArchiver(service, archive, 60_000);
  });

  afterAll(async () => {
    for (const q of [work, dlq, target]) await channel?.deleteQueue(q).catch(() => undefined);
    await connection?.close();
    await archiver?.stop();
    await service?.close();
    db?.close();
  });

  it('browsing (the list and one message) shows markers where the card, e-mail and credential were', async () => {
    const list = await service.messages(id, {});
    expectNoSecrets(list);
    const detail = list.messages.find((m) => m.id === 'msg:pay-7');
    expect(detail?.headers).toMatchObject({ authorization: '[masked:header]', tenant: 'acme' });
    expect(detail?.body).toMatchObject({ encoding: 'json', masked: true, sizeBytes: body.length });
    expect(JSON.parse(detail?.body.preview ?? '')).toEqual({
      payment: 7,
      card: { number: '[masked:card]' },
      email: '[masked:email]',
    });
    // A filter cannot be used to probe what is hidden: it sees what the page sees.
    expect((await service.messages(id, { text: 'jane.doe' })).messages).toEqual([]);
  });

  it('archives the message masked: the stored row, the page and the API hold no secret', async () => {
    const [pass] = (await archiver.pass()).filter((p) => p.queueId === id);
    expect(pass).toMatchObject({ added: 1, error: null });
    expectNoSecrets(await archiver.view(id, { goneOnly: false, limit: 10 }));
    const stored = (await db.connection.runAndReadAll('SELECT view FROM dlq_archive')).getRowObjectsJS();
    expect(stored).toHaveLength(1);
    expectNoSecrets(stored);
    expect(stored[0]?.view as string).toContain('[masked:card]');
  });

  it('replays the original bytes and headers, not the masked view', async () => {
    const dry = await service.replay(id, { all: true, target, dryRun: true }, testActor('test'));
    expectNoSecrets(dry);
    const job = (await service.replay(id, { all: true, target }, testActor('alice'))) as JobView;
    await service.idle();
    expect(await service.job(job.id)).toMatchObject({ status: 'done', counts: { replayed: 1 } });
    const copy = await waitFor(
      async () => (await channel.get(target, { noAck: true })) || undefined,
      'replay',
    );
    expect(copy.content.equals(body)).toBe(true);
    expect(copy.properties.headers?.authorization).toBe(authorization);
    expect(copy.properties.messageId).toBe('pay-7');
    expectNoSecrets(await service.history({ jobs: 10, audit: 10 }));
  });
});
