import { afterEach, describe, expect, it } from 'vitest';
import type { BrokerAdapter, GroupReading, PollContext } from '@/lib/brokers/lag-types';
import { MemoryLagHistory } from './memory-history';
import { type LagPoller, startLagPolling } from './poller';

// The poller's scheduling and fault handling with adapters we control (the broker behaviour itself
// is covered against the real brokers in lib/brokers/*/lag.int.test.ts).

function queueReading(lag: number): GroupReading {
  return {
    system: 'aws_sqs',
    group: 'q',
    destination: 'q',
    consumers: null,
    partitions: [
      {
        partition: '',
        lagMessages: lag,
        lagSeconds: null,
        lagSecondsSource: 'none',
        position: null,
        endPosition: null,
      },
    ],
    details: {},
  };
}

class ScriptedAdapter implements BrokerAdapter {
  readonly system = 'aws_sqs' as const;
  closes = 0;
  /** What the next read does: a lag to report, an error to throw, or 'hang' until aborted/closed. */
  next: number | Error | 'hang' = 0;
  private release: (() => void) | null = null;

  constructor(readonly address: string) {}

  readLag({ signal }: PollContext): Promise<GroupReading[]> {
    const next = this.next;
    if (next === 'hang') {
      return new Promise((_, reject) => {
        this.release = () => reject(new Error('connection closed'));
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
    }
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve([queueReading(next)]);
  }

  close(): Promise<void> {
    this.closes++;
    this.release?.();
    return Promise.resolve();
  }
}

let poller: LagPoller | undefined;
afterEach(async () => poller?.stop());

describe('startLagPolling', () => {
  it('reports a hung broker unreachable after the timeout without holding up the others, then recovers', async () => {
    const slow = new ScriptedAdapter('slow:1');
    const fast = new ScriptedAdapter('fast:1');
    slow.next = 'hang';
    fast.next = 4;
    poller = startLagPolling({
      brokers: [slow, fast],
      history: new MemoryLagHistory(),
      timeoutMs: 200,
      schedule: false,
      log: () => undefined,
    });

    // Before any poll: every broker listed, state unknown, no groups.
    expect(poller.latest().brokers.map((b) => b.reachable)).toEqual([null, null]);
    const snapshot = await poller.pollNow();
    expect(snapshot.brokers).toMatchObject([
      { address: 'slow:1', reachable: false, error: 'no answer within 200 ms' },
      { address: 'fast:1', reachable: true, error: null },
    ]);
    expect(snapshot.groups.map((g) => [g.broker, g.lagMessages])).toEqual([['fast:1', 4]]);
    expect(slow.closes).toBe(1);

    slow.next = 9;
    const recovered = await poller.pollNow();
    expect(recovered.brokers[0]).toMatchObject({ reachable: true, error: null });
    expect(recovered.groups.map((g) => g.lagMessages).sort()).toEqual([4, 9]);
  });

  it('keeps the last figures of a failing broker as ERR, without credentials in the error', async () => {
    const broker = new ScriptedAdapter('b:1');
    broker.next = 7;
    poller = startLagPolling({
      brokers: [broker],
      history: new MemoryLagHistory(),
      schedule: false,
      log: () => undefined,
    });
    await poller.pollNow();
    broker.next = new Error('cannot connect to amqp://guest:secret@b:1');
    const snapshot = await poller.pollNow();
    expect(snapshot.brokers[0]!.error).toBe('cannot connect to amqp://b:1');
    expect(snapshot.groups[0]).toMatchObject({ status: 'ERR', lagMessages: 7 });
    expect(snapshot.groups[0]!.statusReason).toContain('broker not readable (cannot connect to amqp://b:1)');
  });

  it('stores every poll in the history and evaluates status over it with the injected clock', async () => {
    const broker = new ScriptedAdapter('b:1');
    const history = new MemoryLagHistory();
    let now = 1_700_000_000_000;
    broker.next = 5;
    poller = startLagPolling({
      brokers: [broker],
      history,
      now: () => now,
      schedule: false,
      thresholds: {
        windowMs: 600_000,
        minSamples: 3,
        stuckAfterMs: 60_000,
        warnLagSeconds: null,
        trendWindowMs: 60_000,
      },
    });
    for (let i = 0; i < 3; i++) {
      await poller.pollNow();
      now += 30_000;
    }
    // Backlog unchanged for 60 s and consumers unknown (SQS): STALL.
    expect(poller.latest().groups[0]).toMatchObject({ status: 'STALL', lagMessages: 5 });
    expect((await history.samples({ sinceMs: 0, untilMs: now })).length).toBe(3);
    broker.next = 0;
    expect((await poller.pollNow()).groups[0]).toMatchObject({ status: 'OK', etaSeconds: 0 });
  });

  it('polls on its timer until stopped', async () => {
    const broker = new ScriptedAdapter('b:1');
    broker.next = 1;
    poller = startLagPolling({ brokers: [broker], history: new MemoryLagHistory(), intervalMs: 20 });
    await expect.poll(() => poller!.latest().brokers[0]!.reachable).toBe(true);
    await poller.stop();
    expect(broker.closes).toBeGreaterThanOrEqual(1);
  });
});
