import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { MessagingSpan } from '@/lib/model/span';
import { toMessagingSpan } from '@/lib/ingest/messaging-span';
import { DuckDbStore } from '@/lib/store/duckdb-store';
import { decodedSpan, spanId, traceId } from '@/lib/store/testing/span-factory';
import { getJourney } from './journeys';
import { unmasked } from '@/lib/masking/testing';

// Journeys over a real DuckDB file, written through the store's own ingest path.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-journeys-'));
let n = 0;
const open: DuckDbStore[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function storeWith(spans: MessagingSpan[]): Promise<DuckDbStore> {
  const store = await DuckDbStore.open(path.join(dir, `j${n++}.duckdb`), {
    queueMaxRows: 100_000,
    memoryLimit: '512MB',
    retentionHours: 24,
    retentionMaxBytes: 0,
    maintenanceIntervalMs: 0,
  });
  open.push(store);
  await store.appendSpans(spans);
  return store;
}

const NOW = Date.now() * 1000;
type Link = { traceId: string; spanId: string };

function span(o: {
  op: 'send' | 'process';
  service: string;
  destination: string;
  atUs: number;
  trace?: string;
  parent?: MessagingSpan;
  links?: MessagingSpan[];
  failed?: boolean;
  attributes?: Record<string, string | number>;
}): MessagingSpan {
  const links: Link[] = (o.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId }));
  return toMessagingSpan(
    decodedSpan({
      traceId: o.parent?.traceId ?? o.trace ?? traceId(),
      spanId: spanId(),
      parentSpanId: o.parent?.spanId ?? null,
      service: o.service,
      name: `${o.op} ${o.destination}`,
      kind: o.op === 'send' ? 4 : 5,
      startTimeUs: o.atUs,
      endTimeUs: o.atUs + 2000,
      links,
      statusCode: o.failed ? 2 : 0,
      attributes: {
        'messaging.system': 'rabbitmq',
        'messaging.destination.name': o.destination,
        'messaging.operation.type': o.op,
        ...o.attributes,
      },
    }),
  )!;
}

describe('getJourney (real DuckDB file)', () => {
  it('reaches a batch consumer through its second link, found with the producer trace’s own spans', async () => {
    const t = NOW - 600e6;
    const sendA = span({ op: 'send', service: 'checkout', destination: 'orders', atUs: t });
    const relay = span({
      op: 'process',
      service: 'relay',
      destination: 'orders',
      atUs: t + 5000,
      links: [sendA],
    });
    const sendB = span({ op: 'send', service: 'returns', destination: 'orders', atUs: t + 1000 });
    // Its first link (kept on its row) points at B; only span_links says it also consumed A.
    const batch = span({
      op: 'process',
      service: 'bulk-billing',
      destination: 'orders',
      atUs: t + 9000,
      links: [sendB, sendA],
      attributes: { 'messaging.batch.message_count': 2 },
    });
    const invoice = span({
      op: 'send',
      service: 'bulk-billing',
      destination: 'invoices',
      atUs: t + 9500,
      parent: batch,
    });
    const store = await storeWith([sendA, relay, sendB, batch, invoice]);

    // Seeded by the relay's own trace: A is found through the relay's link, and in that same round
    // the batch consumer, through span_links; its trace and B follow in the next.
    const journey = await getJourney(store, { traceId: relay.traceId }, unmasked);
    expect(journey.truncated).toBe(false);
    expect(new Set(journey.traceIds)).toEqual(
      new Set([relay.traceId, sendA.traceId, batch.traceId, sendB.traceId]),
    );
    expect(journey.spans.map((s) => s.spanId)).toEqual(
      [sendA, sendB, relay, batch, invoice].map((s) => s.spanId),
    );
    const batchSpan = journey.spans.find((s) => s.spanId === batch.spanId);
    expect(batchSpan?.links).toEqual([
      { traceId: sendB.traceId, spanId: sendB.spanId },
      { traceId: sendA.traceId, spanId: sendA.spanId },
    ]);
    const invoices = journey.hops.find((h) => h.destination === 'invoices');
    expect(invoices?.send?.service).toBe('bulk-billing');
  });

  it('follows a DLQ replay hours later back to the original message and its failed delivery', async () => {
    const t = NOW - 5 * 3600e6;
    const original = span({
      op: 'send',
      service: 'shop',
      destination: 'payments',
      atUs: t,
      attributes: { 'messaging.message.id': 'm-42' },
    });
    const failed = span({
      op: 'process',
      service: 'payer',
      destination: 'payments',
      atUs: t + 20_000,
      links: [original],
      failed: true,
      attributes: { 'messaging.message.id': 'm-42', 'signalbox.delivery.attempt': 3 },
    });
    const deadLetter = span({
      op: 'send',
      service: 'payer',
      destination: 'payments.DLQ',
      atUs: t + 30_000,
      parent: failed,
    });
    const replay = span({
      op: 'send',
      service: 'signalbox',
      destination: 'payments',
      atUs: t + 3 * 3600e6,
      links: [original],
      attributes: { 'messaging.message.id': 'm-42', 'signalbox.replay.id': 'job-1:0:7' },
    });
    const replayed = span({
      op: 'process',
      service: 'payer',
      destination: 'payments',
      atUs: t + 3 * 3600e6 + 40_000,
      links: [replay],
      attributes: { 'messaging.message.id': 'm-42' },
    });
    const store = await storeWith([original, failed, deadLetter, replay, replayed]);

    // From the replayed delivery's trace: back to the replay, the original, then the first delivery.
    const journey = await getJourney(store, { traceId: replayed.traceId }, unmasked);
    expect(journey.truncated).toBe(false);
    expect(new Set(journey.traceIds)).toEqual(
      new Set([original.traceId, failed.traceId, replay.traceId, replayed.traceId]),
    );
    const payments = journey.hops.filter((h) => h.destination === 'payments');
    expect(payments.map((h) => [h.send?.service, h.replayId, h.deliveries.map((d) => d.outcome)])).toEqual([
      ['shop', null, ['dead-lettered']],
      ['signalbox', 'job-1:0:7', ['processed']],
    ]);
    expect(payments[0]!.deliveries[0]!.attempts[0]!.deliveryAttempt).toBe(3);
    // The same journey by message id.
    const byMessage = await getJourney(store, { messageId: 'm-42' }, unmasked);
    expect(byMessage.spans.map((s) => s.spanId)).toEqual(journey.spans.map((s) => s.spanId));
  });

  it('stops following link-mode hops after four rounds and says the journey is truncated', async () => {
    const spans: MessagingSpan[] = [];
    let send = span({ op: 'send', service: 'hop-0', destination: 'q0', atUs: NOW - 60e6 });
    spans.push(send);
    const sends = [send];
    for (let i = 1; i <= 6; i++) {
      const consumer = span({
        op: 'process',
        service: `hop-${i}`,
        destination: `q${i - 1}`,
        atUs: NOW - 60e6 + i * 1e6,
        links: [send],
      });
      send = span({
        op: 'send',
        service: `hop-${i}`,
        destination: `q${i}`,
        atUs: consumer.startTimeUs + 1000,
        parent: consumer,
      });
      spans.push(consumer, send);
      sends.push(send);
    }
    const store = await storeWith(spans);

    const journey = await getJourney(store, { traceId: sends[0]!.traceId }, unmasked);
    expect(journey.truncated).toBe(true);
    // Rounds load the traces of hops 1-3 and find hop 4's consumer, whose trace is left unloaded.
    expect(journey.hops.map((h) => [h.send?.service ?? null, h.deliveries.map((d) => d.service)])).toEqual([
      ['hop-0', ['hop-1']],
      ['hop-1', ['hop-2']],
      ['hop-2', ['hop-3']],
      ['hop-3', ['hop-4']],
    ]);
  });

  it('keeps every consumer of a message fanned out to more traces than it follows, and says so', async () => {
    const send = span({ op: 'send', service: 'news', destination: 'fanout', atUs: NOW - 120e6 });
    const consumers = Array.from({ length: 60 }, (_, i) =>
      span({
        op: 'process',
        service: `reader-${i}`,
        destination: 'fanout',
        atUs: send.startTimeUs + 1000 + i,
        links: [send],
      }),
    );
    const store = await storeWith([send, ...consumers]);

    const journey = await getJourney(store, { traceId: send.traceId }, unmasked);
    expect(journey.truncated).toBe(true);
    expect(journey.hops).toHaveLength(1);
    expect(journey.hops[0]!.deliveries).toHaveLength(60);
  });
});
