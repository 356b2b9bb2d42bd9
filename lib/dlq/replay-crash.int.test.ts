import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DLQ_HEADERS, REPLAY_HEADERS } from '@signalbox/instrumentation/protocol';
import amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokerGate } from '@/lib/testing/brokers';
import { bundleForNode } from './testing/bundle';
import { KAFKA_SETTINGS, RABBIT_URL, tempDbPath, unique } from './testing/support';

/*
 * The crash test of issue #7: a 10,000-message bulk replay whose runner process is killed with
 * SIGKILL at random points several times, then resumed to the end. Every message must end up at the
 * target (duplicates allowed only with the same replay id) or still be in the DLQ — none lost.
 */
const TOTAL = 10_000;
const KILLS = 4;
const gate = await brokerGate('kafka', 'rabbitmq');
let child = '';

beforeAll(async () => {
  child = await bundleForNode(fileURLToPath(new URL('./testing/replay-child.ts', import.meta.url)));
});
afterAll(() => fs.rmSync(child, { force: true }));

function run(args: string[]): { proc: ChildProcess; exited: Promise<number | null>; started: Promise<void> } {
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const started = new Promise<void>((resolve) =>
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('started')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return { proc, exited, started };
}

/** Kills the runner several times at random points, then lets it finish. Returns the kills done while it ran. */
async function crashAndResume(args: string[]): Promise<number> {
  let killed = 0;
  for (let i = 0; i < KILLS; i++) {
    const r = run(args);
    await r.started;
    // Early enough that work is left even on a quiet machine (a whole run takes ~1-2 s).
    await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 400));
    if (r.proc.exitCode === null) {
      r.proc.kill('SIGKILL');
      killed++;
    }
    await r.exited;
  }
  const last = run(args);
  expect(await last.exited).toBe(0);
  return killed;
}

/** Every original (by id) is at the target or in the DLQ; copies of one original share one replay id. */
function check(atTarget: { id: string; replayId: string }[], inDlq: string[]) {
  const byId = new Map<string, Set<string>>();
  for (const m of atTarget) byId.set(m.id, (byId.get(m.id) ?? new Set()).add(m.replayId));
  for (const [id, ids] of byId) expect(ids.size, `copies of ${id} carry one replay id`).toBe(1);
  const everywhere = new Set([...byId.keys(), ...inDlq]);
  expect(everywhere.size).toBe(TOTAL);
  return { distinct: byId.size, duplicates: atTarget.length - byId.size };
}

describe.skipIf(gate.skip)(
  'replay survives kill -9 (10,000 messages, real brokers, real DuckDB file)',
  () => {
    it('RabbitMQ: resumed to the end, every message at the target once (or a same-id duplicate)', async () => {
      const target = unique('crash-target');
      const dlq = `${target}.dlq`;
      const connection = await amqp.connect(RABBIT_URL);
      const channel = await connection.createConfirmChannel();
      const db = tempDbPath(); // the child opens the file itself
      try {
        await channel.assertQueue(target, { durable: true });
        await channel.assertQueue(dlq, { durable: true });
        for (let i = 0; i < TOTAL; i++) {
          channel.sendToQueue(dlq, Buffer.from(JSON.stringify({ n: i })), {
            persistent: true,
            headers: {
              [DLQ_HEADERS.id]: `dead-${i}`,
              [DLQ_HEADERS.originalDestination]: target,
              [DLQ_HEADERS.originalSystem]: 'rabbitmq',
            },
          });
        }
        await channel.waitForConfirms();
        const kills = await crashAndResume(['rabbitmq', dlq, randomUUID(), db.file, RABBIT_URL]);
        expect(kills).toBeGreaterThan(0);

        const atTarget: { id: string; replayId: string }[] = [];
        for (
          let m = await channel.get(target, { noAck: true });
          m;
          m = await channel.get(target, { noAck: true })
        ) {
          atTarget.push({
            id: m.content.toString(),
            replayId: String(m.properties.headers?.[REPLAY_HEADERS.id]),
          });
        }
        const left = (await channel.checkQueue(dlq)).messageCount;
        const { distinct, duplicates } = check(atTarget, []);
        expect(left).toBe(0);
        expect(distinct).toBe(TOTAL);
        console.info(`RabbitMQ crash test: ${kills} kills, ${duplicates} same-id duplicates, 0 lost`);
      } finally {
        await channel.deleteQueue(target).catch(() => undefined);
        await channel.deleteQueue(dlq).catch(() => undefined);
        await connection.close();
        db.remove();
      }
    }, 300_000);

    it('Kafka: resumed to the end, every record at the target once (or a same-id duplicate)', async () => {
      const target = unique('crash-orders');
      const dlt = `${target}.DLT`;
      const kafka = new Kafka({
        clientId: 'crash',
        brokers: KAFKA_SETTINGS.brokers,
        logLevel: logLevel.NOTHING,
      });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({
        topics: [
          { topic: target, numPartitions: 3 },
          { topic: dlt, numPartitions: 3 },
        ],
        waitForLeaders: true,
      });
      const producer = kafka.producer();
      await producer.connect();
      const db = tempDbPath(); // the child opens the file itself
      const consumer = kafka.consumer({ groupId: unique('crash-check') });
      try {
        for (let start = 0; start < TOTAL; start += 1000) {
          await producer.send({
            topic: dlt,
            messages: Array.from({ length: 1000 }, (_, k) => ({
              key: String(start + k),
              // ~1 KiB bodies: partitions span many fetches, as in real DLQs.
              value: JSON.stringify({ n: start + k, pad: 'x'.repeat(1000) }),
              headers: { [DLQ_HEADERS.originalDestination]: target, [DLQ_HEADERS.originalSystem]: 'kafka' },
            })),
          });
        }
        const kills = await crashAndResume([
          'kafka',
          dlt,
          randomUUID(),
          db.file,
          KAFKA_SETTINGS.brokers[0] ?? '',
        ]);
        expect(kills).toBeGreaterThan(0);

        const end = (await admin.fetchTopicOffsets(target)).reduce((s, p) => s + Number(p.high), 0);
        const atTarget: { id: string; replayId: string }[] = [];
        await consumer.connect();
        await consumer.subscribe({ topic: target, fromBeginning: true });
        await consumer.run({
          eachMessage: ({ message }) => {
            atTarget.push({
              id: message.value?.toString() ?? '',
              replayId: String(message.headers?.[REPLAY_HEADERS.id]),
            });
            return Promise.resolve();
          },
        });
        const deadline = Date.now() + 60_000;
        while (atTarget.length < end && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        expect(atTarget.length).toBe(end);
        // Kafka keeps every DLT record; the job's checkpoint says all were replayed.
        const { distinct, duplicates } = check(atTarget, []);
        expect(distinct).toBe(TOTAL);
        console.info(`Kafka crash test: ${kills} kills, ${duplicates} same-id duplicates, 0 lost`);
      } finally {
        await consumer.disconnect();
        await producer.disconnect();
        await admin.deleteTopics({ topics: [target, dlt] }).catch(() => undefined);
        await admin.disconnect();
        db.remove();
      }
    }, 300_000);
  },
);
