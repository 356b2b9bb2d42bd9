import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFilter } from '@/lib/brokers/patterns';
import { RedisStreamsLagAdapter } from '@/lib/brokers/redis/lag';
import { brokerGate } from '@/lib/testing/brokers';
import { DuckDbLagHistory } from './history';
import { startLagPolling } from './poller';
import { TEST_RULES } from './testing/drive';
import type { LagSample } from './types';

// A real DuckDB file in a fresh folder (the dashboard hands the history a connection of its own
// single instance; tests open their own file). Closing means closing the connection as well: DuckDB
// keeps the file open while a connection lives, and the next instance on it would then race the old
// one's checkpoint (samples written in between were lost now and then).
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-lag-history-'));
const file = path.join(dir, 'lag.duckdb');
const opened: { instance: DuckDBInstance; connection: DuckDBConnection }[] = [];
async function open(): Promise<DuckDbLagHistory> {
  const instance = await DuckDBInstance.create(file);
  const connection = await instance.connect();
  opened.push({ instance, connection });
  return DuckDbLagHistory.create(connection);
}
function closeAll() {
  for (const { instance, connection } of opened.splice(0)) {
    connection.closeSync();
    instance.closeSync();
  }
}
afterAll(() => {
  closeAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

const key = { system: 'kafka' as const, group: 'audit', destination: 'orders' };
const sample = (
  tsMs: number,
  partition: string,
  lagMessages: number,
  extra: Partial<LagSample> = {},
): LagSample => ({
  ...key,
  tsMs,
  partition,
  lagMessages,
  lagSeconds: null,
  position: null,
  endPosition: null,
  consumers: null,
  ...extra,
});

describe('DuckDbLagHistory', () => {
  it('stores samples durably and answers raw, group and partition series', async () => {
    // The two samples of the first second, read back below.
    const firstSecond = [
      sample(1000, '0', 1, {
        lagSeconds: 2.5,
        position: 9_007_199_254_740,
        endPosition: 9_007_199_254_741,
        consumers: 2,
      }),
      sample(1000, '1', 2, { lagSeconds: 5 }),
    ];
    const history = await open();
    await history.append([
      ...firstSecond,
      sample(2000, '0', 3),
      sample(2000, '1', 4),
      sample(11_000, '0', 1),
      { ...sample(1000, '', 7), system: 'rabbitmq', group: 'payments', destination: 'payments' },
    ]);
    closeAll();

    const reopened = await open();
    const raw = await reopened.samples({ sinceMs: 0, untilMs: 1001, key });
    expect(raw).toEqual(firstSecond);
    const groups = await reopened.groupSeries({ sinceMs: 0, untilMs: 20_000, stepMs: 10_000 });
    expect([...groups.keys()]).toEqual(['kafka|orders|audit', 'rabbitmq|payments|payments']);
    // Polls at 1 s (lag 3) and 2 s (lag 7) share a bucket: the worst poll, stamped with the last poll.
    expect(groups.get('kafka|orders|audit')).toEqual({
      key,
      points: [
        { tsMs: 2000, lagMessages: 7, lagSeconds: 5 },
        { tsMs: 11_000, lagMessages: 1, lagSeconds: null },
      ],
    });
    const partitions = await reopened.partitionSeries({ key, sinceMs: 0, untilMs: 20_000, stepMs: 1 });
    expect(partitions.get('1')).toEqual([
      { tsMs: 1000, lagMessages: 2, lagSeconds: 5 },
      { tsMs: 2000, lagMessages: 4, lagSeconds: null },
    ]);
    expect(await reopened.prune(2000)).toBe(3);
    expect((await reopened.samples({ sinceMs: 0, untilMs: 20_000 })).map((s) => s.tsMs)).toEqual([
      2000, 2000, 11_000,
    ]);
    closeAll();
  });
});

const gate = await brokerGate('redis');

describe.skipIf(gate.skip)('status over the stored window', () => {
  it('a restarted poller evaluates with the samples its predecessor stored', async () => {
    const run = randomUUID().slice(0, 8);
    const stream = `sbtest:history:${run}`;
    const redis = new Redis('redis://127.0.0.1:6379');
    await redis.xgroup('CREATE', stream, 'g', '0', 'MKSTREAM');
    for (let i = 0; i < 4; i++) await redis.xadd(stream, '*', 'v', String(i));
    const allowed = compileFilter({ include: [`redis:*${run}*`], exclude: [] });
    let now = Date.now();
    const poller = (history: DuckDbLagHistory) =>
      startLagPolling({
        brokers: [
          new RedisStreamsLagAdapter({ url: 'redis://127.0.0.1:6379', tls: null }, (g, s) =>
            allowed('redis', g, s),
          ),
        ],
        history,
        now: () => now,
        schedule: false,
        thresholds: TEST_RULES,
      });
    try {
      const first = poller(await open());
      for (let i = 0; i < 2; i++) {
        await first.pollNow();
        now += 30_000;
      }
      expect(first.latest().groups[0]).toMatchObject({ status: 'OK', lagMessages: 4 });
      await first.stop();
      closeAll();

      // A new process: the window comes back from the file, so the third stuck poll is a STOP at once.
      const second = poller(await open());
      const snapshot = await second.pollNow();
      expect(snapshot.groups[0]).toMatchObject({ status: 'STOP', lagMessages: 4, consumers: 0 });
      await second.stop();
    } finally {
      await redis.del(stream);
      redis.disconnect();
    }
  });
});
