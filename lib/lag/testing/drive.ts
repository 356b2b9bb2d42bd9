import { expect } from 'vitest';
import type { BrokerAdapter } from '@/lib/brokers/lag-types';
import { MemoryLagHistory } from '../memory-history';
import { type LagPoller, startLagPolling } from '../poller';
import type { StatusThresholds } from '../status';
import type { BrokerState, GroupLag } from '../types';

/**
 * Rules for tests: STALL/STOP after 60 s without progress over 3 samples, trend over the last 60 s.
 * The tests drive a fake clock (30 s per poll by default), so status changes take three polls, not
 * minutes, and drain rates are exact.
 */
export const TEST_RULES: StatusThresholds = {
  windowMs: 600_000,
  minSamples: 3,
  stuckAfterMs: 60_000,
  warnLagSeconds: null,
  trendWindowMs: 60_000,
};

export interface DrivenPoller {
  poller: LagPoller;
  /** Advances the clock by `stepMs`, polls, and returns the group named (or throws if it is missing). */
  step(stepMs?: number): Promise<GroupLag>;
  clock: { now: () => number };
}

/** A poller on one adapter with an injected clock, polled only when the test says so. */
export function drive(adapter: BrokerAdapter, group: string, destination: string): DrivenPoller {
  let now = Date.now();
  const clock = { now: () => now };
  const poller = startLagPolling({
    brokers: [adapter],
    history: new MemoryLagHistory(),
    now: clock.now,
    schedule: false,
    thresholds: TEST_RULES,
    timeoutMs: 10_000,
    log: () => undefined,
  });
  return {
    poller,
    clock,
    async step(stepMs = 30_000) {
      now += stepMs;
      const snapshot = await poller.pollNow();
      const found = snapshot.groups.find((g) => g.group === group && g.destination === destination);
      if (!found) {
        const broker = snapshot.brokers[0];
        throw new Error(
          `group ${group} on ${destination} not in the snapshot (broker: ${JSON.stringify(broker)})`,
        );
      }
      return found;
    },
  };
}

/**
 * The broker goes down and comes back: after a first poll, `proxy` (the poller's only way to the
 * broker) closes; `checkDown` checks what the next poll says of the broker, and the group must be
 * ERR. Then the proxy opens again and the next poll must recover, the broker reachable again.
 */
export async function throughOutage(
  driven: DrivenPoller,
  proxy: { open(): Promise<unknown>; close(): Promise<unknown> },
  checkDown: (broker: BrokerState | undefined) => void,
): Promise<void> {
  await driven.step(0);
  await proxy.close();
  const down = await driven.poller.pollNow();
  checkDown(down.brokers[0]);
  expect(down.groups[0]).toMatchObject({ status: 'ERR' });
  await proxy.open();
  expect((await driven.step()).status).not.toBe('ERR');
  expect(driven.poller.latest().brokers[0]).toMatchObject({ reachable: true, error: null });
  await proxy.close();
}
