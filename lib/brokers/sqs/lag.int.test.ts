import { randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ReceiveMessageCommand,
  SQSClient,
  SendMessageBatchCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive, throughOutage } from '@/lib/lag/testing/drive';
import { brokerGate } from '@/lib/testing/brokers';
import { compileFilter } from '../patterns';
import { TcpProxy } from '../testing/tcp-proxy';
import { SqsLagAdapter } from './lag';

// Real ElasticMQ (SQS API) on 127.0.0.1:9324. ElasticMQ accepts any credentials; the dashboard itself
// takes them from the AWS default chain. SQS has no oldest-message age in its API (see lag.ts), so
// lag in seconds is asserted to be reported as unknown.
const gate = await brokerGate('sqs');
const ENDPOINT = 'http://127.0.0.1:9324';
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };
const run = randomUUID().slice(0, 8);
const queue = `sbtest-lag-${run}`;
const sqs = new SQSClient({ endpoint: ENDPOINT, region: 'us-east-1', credentials });
let queueUrl = '';
const adapters: SqsLagAdapter[] = [];
const ours = compileFilter({ include: [`aws_sqs:*${run}*`], exclude: [] });
function adapter(endpoint = ENDPOINT) {
  const a = new SqsLagAdapter(
    { endpoint, region: 'us-east-1', queueNamePrefix: 'sbtest-' },
    (q) => ours('aws_sqs', q),
    { credentials },
  );
  adapters.push(a);
  return a;
}

async function send(count: number): Promise<void> {
  for (let i = 0; i < count; i += 10) {
    const n = Math.min(10, count - i);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Array.from({ length: n }, (_, j) => ({ Id: String(j), MessageBody: `m${i + j}` })),
      }),
    );
  }
}

/** Receives `count` messages and deletes them unless `keep` (then they stay in flight). */
async function receive(count: number, keep = false): Promise<void> {
  let got = 0;
  while (got < count) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, count - got),
        VisibilityTimeout: 600,
      }),
    );
    for (const m of Messages) {
      got++;
      if (!keep)
        await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle }));
    }
  }
}

describe.skipIf(gate.skip)('SQS queue lag', () => {
  beforeAll(async () => {
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: queue }))).QueueUrl!;
  });
  afterAll(async () => {
    await Promise.all(adapters.map((a) => a.close()));
    await sqs.send(new DeleteQueueCommand({ QueueUrl: queueUrl })).catch(() => undefined);
    sqs.destroy();
  });

  it('counts visible messages exactly, in-flight apart, goes STALL, drains with an exact ETA', async () => {
    await send(30);
    await receive(10);
    await receive(3, true);
    const driven = drive(adapter(), queue, queue);
    const reading = await driven.step(0);
    expect(reading).toMatchObject({
      system: 'aws_sqs',
      lagMessages: 17,
      lagSeconds: null,
      lagSecondsSource: 'none',
      consumers: null,
      details: { visible: 17, inFlight: 3, delayed: 0 },
    });
    expect(driven.poller.latest().brokers[0]).toMatchObject({
      reachable: true,
      address: `${ENDPOINT} (us-east-1)`,
    });

    // SQS cannot tell whether anyone consumes: a backlog that does not move for a minute is STALL.
    await driven.step();
    expect(await driven.step()).toMatchObject({ status: 'STALL', etaSeconds: null });

    for (let i = 0; i < 6; i++) {
      await receive(2);
      await driven.step(10_000);
    }
    expect(await driven.step(0)).toMatchObject({
      lagMessages: 5,
      status: 'OK',
      trend: { direction: 'shrinking', messagesPerSecond: -0.2 },
      etaSeconds: 25,
    });
    await receive(5);
    expect(await driven.step()).toMatchObject({ lagMessages: 0, lagSeconds: 0, status: 'OK', etaSeconds: 0 });
  });

  it('reports the endpoint unreachable while it is down and recovers when it returns', async () => {
    const proxy = await new TcpProxy('127.0.0.1', 9324).open();
    await throughOutage(drive(adapter(`http://127.0.0.1:${proxy.port}`), queue, queue), proxy, (broker) => {
      expect(broker).toMatchObject({ reachable: false });
      expect(broker!.error).toMatch(/ECONNREFUSED|socket|connect/i);
    });
  });
});
