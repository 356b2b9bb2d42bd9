import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tempDuckDb } from '@/lib/dlq/testing/support';
import type { LatencyReport } from '@/lib/analytics/latency';
import type { GroupLag, LagSnapshot } from '@/lib/lag/types';
import { SerialConnection } from '@/lib/store/serial-connection';
import { AlertStore } from './alert-store';
import { AlertEvaluator } from './evaluator';
import type { AlertInputs } from './observe';
import { alertRule } from './rule';

// Silences and acknowledgements in a real DuckDB file, with a real HTTP receiver: a silenced alert
// is recorded but not sent; an acknowledgement survives the rounds that follow; once the silence
// ends, the resolution is sent. The lag figures are given directly (broker reads are covered in
// alerts.kafka.int.test.ts); the evaluator's clock is the test's.
/** What the evaluator reads when the billing group on orders is `lagMessages` behind, and nothing else. */
const billingLag = (lagMessages: number, telemetry: AlertInputs['telemetry'] = null): AlertInputs => ({
  lag: {
    generatedAt: '',
    brokers: [],
    groups: [{ system: 'kafka', destination: 'orders', group: 'billing', lagMessages } as GroupLag],
  } satisfies LagSnapshot,
  dlq: null,
  telemetry,
});

describe('silences and acknowledgements', () => {
  let db: Awaited<ReturnType<typeof tempDuckDb>>;
  const received: string[] = [];
  const receiver = http.createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString()));
    req.on('end', () => {
      received.push((JSON.parse(text) as { status: string }).status);
      res.writeHead(200).end();
    });
  });

  beforeAll(async () => {
    db = await tempDuckDb();
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => {
    db?.close();
    receiver.close();
  });

  it('holds back a silenced alert, keeps who acknowledged it, and sends the resolution after the silence', async () => {
    let now = 10_000_000;
    let lagMessages = 500;
    const store = await AlertStore.create(new SerialConnection(db.connection));
    const evaluator = new AlertEvaluator({
      rules: [
        alertRule({
          id: 'behind',
          name: 'Behind',
          kind: 'lag-messages',
          threshold: 100,
          resolveAfterSeconds: 0,
        }),
      ],
      store,
      channels: [
        {
          name: 'webhook',
          url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`,
          secret: null,
        },
      ],
      inputs: () => Promise.resolve(billingLag(lagMessages)),
      publicUrl: null,
      intervalMs: 15_000,
      now: () => now,
      schedule: false,
    });
    await store.addSilence({
      id: 'maintenance',
      ruleId: null,
      subject: 'kafka:orders#*',
      reason: 'billing redeploy',
      createdBy: 'Omar Operator',
      createdMs: now,
      endsMs: now + 30 * 60_000,
      expiredBy: null,
    });
    // Another rule's silence, and another subject's, do not apply.
    await store.addSilence({
      ...(await store.activeSilences(now))[0]!,
      id: 'other',
      ruleId: 'other-rule',
      subject: null,
    });

    await evaluator.evaluateNow();
    expect(received).toEqual([]);
    const [held] = await store.recent(1);
    expect(held).toMatchObject({
      event: 'firing',
      deliveredMs: null,
      nextAttemptMs: null,
      lastStatus: `not sent: silenced by Omar Operator until ${new Date(now + 30 * 60_000).toISOString()}`,
    });

    expect(await store.acknowledge('behind', 'kafka:orders#billing', 'Ada Admin', now + 1000)).toBe(true);
    expect(await store.acknowledge('behind', 'kafka:orders#nobody', 'Ada Admin', now + 1000)).toBe(false);
    now += 15_000;
    await evaluator.evaluateNow();
    expect(await store.states()).toMatchObject([
      { phase: 'firing', ackedBy: 'Ada Admin', ackedMs: 10_001_000 },
    ]);

    expect(await store.expireSilence('maintenance', 'Omar Operator', now)).toMatchObject({
      expiredBy: 'Omar Operator',
    });
    expect(await store.expireSilence('maintenance', 'Omar Operator', now)).toBeNull();
    lagMessages = 0;
    now += 15_000;
    await evaluator.evaluateNow();
    expect(received).toEqual(['resolved']);
    expect(await store.states()).toEqual([]);
    await evaluator.stop();
  });

  it('evaluates a rule added to the store from the next round, and drops its alerts when it is removed', async () => {
    const store = await AlertStore.create(new SerialConnection(await db.connect()));
    const evaluator = new AlertEvaluator({
      rules: [alertRule({ id: 'from-file', name: 'From the file', kind: 'lag-messages', threshold: 1e9 })],
      store,
      channels: [],
      inputs: () => Promise.resolve(billingLag(50)),
      publicUrl: null,
      intervalMs: 15_000,
      schedule: false,
    });
    const added = alertRule({ id: 'added', name: 'Added on the page', kind: 'lag-messages', threshold: 10 });
    expect(await store.addRule(added, 'Omar Operator', 1)).toBe(true);
    expect(await store.addRule(added, 'Omar Operator', 2)).toBe(false);
    // A stored rule cannot shadow the file's: the file's id wins.
    await store.addRule({ ...added, id: 'from-file', threshold: 0 }, 'Omar Operator', 3);
    expect((await evaluator.rules()).map((r) => [r.id, r.threshold])).toEqual([
      ['from-file', 1e9],
      ['added', 10],
    ]);
    await evaluator.evaluateNow();
    expect((await store.states()).map((s) => [s.ruleId, s.phase])).toEqual([['added', 'firing']]);
    expect(await store.removeRule('added')).toBe(true);
    expect(await store.removeRule('added')).toBe(false);
    expect(await store.states()).toEqual([]);
    expect(await store.removeRule('from-file')).toBe(true); // the shadowed copy, for the next test
    await evaluator.stop();
  });

  it('keeps the alerts of a rule whose figures cannot be read this round, and evaluates the others', async () => {
    const store = await AlertStore.create(new SerialConnection(await db.connect()));
    let storeDown = false;
    const evaluator = new AlertEvaluator({
      rules: [
        alertRule({ id: 'slow', name: 'Slow', kind: 'latency', threshold: 1 }),
        alertRule({ id: 'deep', name: 'Deep', kind: 'lag-messages', threshold: 10 }),
      ],
      store,
      channels: [],
      inputs: () =>
        Promise.resolve(
          billingLag(50, {
            latency: () =>
              storeDown
                ? Promise.reject(new Error('the store is busy'))
                : Promise.resolve({
                    from: '',
                    to: '',
                    compare: null,
                    edges: [],
                    pathways: [
                      {
                        id: 'p1',
                        consumer: {
                          service: 'billing',
                          consumerGroup: 'billing',
                          system: 'kafka',
                          destination: 'orders',
                        },
                        p95Ms: 5000,
                        p99Ms: 6000,
                        source: 'metrics',
                      } as LatencyReport['pathways'][number],
                    ],
                  }),
            flows: () => Promise.reject(new Error('unused')),
          }),
        ),
      publicUrl: null,
      intervalMs: 15_000,
      schedule: false,
    });
    await evaluator.evaluateNow();
    expect((await store.states()).map((s) => [s.ruleId, s.phase]).sort()).toEqual([
      ['deep', 'firing'],
      ['slow', 'firing'],
    ]);
    storeDown = true;
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await evaluator.evaluateNow();
    expect(quiet).toHaveBeenCalledWith(
      'signalbox: alert rule slow could not be evaluated this round',
      expect.any(Error),
    );
    quiet.mockRestore();
    expect((await store.states()).map((s) => [s.ruleId, s.phase]).sort()).toEqual([
      ['deep', 'firing'],
      ['slow', 'firing'],
    ]);
    await evaluator.stop();
  });
});
