import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startReplaySpan } from '@/lib/dlq/replay-trace';
import { DuckDbStore } from '@/lib/store/duckdb-store';
import { DASHBOARD_SERVICE, createSelfTracer } from './self-tracer';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-self-tracer-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ORIGINAL_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe("the dashboard's own spans (real DuckDB file)", () => {
  it('records a replay send span in the store, in a new trace linked to the failed message', async () => {
    const store = await DuckDbStore.open(path.join(dir, 'self.duckdb'), {
      queueMaxRows: 10_000,
      memoryLimit: '256MB',
      retentionHours: 24,
      retentionMaxBytes: 0,
      maintenanceIntervalMs: 0,
    });
    const self = createSelfTracer(() => Promise.resolve(store));
    const headers: Record<string, string> = {};
    const span = startReplaySpan(
      self.tracer,
      {
        system: 'kafka',
        target: 'orders',
        originalTraceparent: `00-${ORIGINAL_TRACE}-00f067aa0ba902b7-01`,
        replayId: 'job-1:0:42',
        dlq: 'orders.DLT',
        jobId: 'job-1',
        actor: 'alice',
      },
      headers,
    );
    span.end();
    await self.forceFlush();

    const newTrace = /^00-([0-9a-f]{32})-/.exec(headers.traceparent ?? '')?.[1];
    expect(newTrace).toBeDefined();
    expect(newTrace).not.toBe(ORIGINAL_TRACE);
    const { linking } = await store.journeySpans({ traces: [], linkedTraces: [ORIGINAL_TRACE] }, 2000);
    expect(linking).toHaveLength(1);
    expect(linking[0]).toMatchObject({
      traceId: newTrace,
      service: DASHBOARD_SERVICE,
      name: 'send orders',
      operationType: 'send',
      destination: 'orders',
      system: 'kafka',
    });
    await self.shutdown();
    await store.close();
  });
});
