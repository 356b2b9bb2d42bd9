import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hopSpans } from '@/lib/store/testing/span-factory';

// GET /metrics scraped by a real Prometheus (Debian package `prometheus`):
// a temp config scraping every second, a temp TSDB, then PromQL over its API.
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const missing = !fs.existsSync(PROMETHEUS);
if (missing && process.env.CI)
  throw new Error(`${PROMETHEUS} not found: CI must install the prometheus package`);
if (missing) console.warn(`skipping: ${PROMETHEUS} not found (apt-get install prometheus)`);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-prom-'));
process.env.SIGNALBOX_DATA_DIR = dir;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe.skipIf(missing)('/metrics scraped by Prometheus', () => {
  let target: http.Server;
  let prometheus: ChildProcess;
  let api: string;

  beforeAll(async () => {
    const { GET } = await import('@/app/metrics/route');
    const { getStore } = await import('@/lib/runtime');
    const store = await getStore();
    // 40 deliveries from 10 to 49 ms, 2 of them failing.
    const now = Date.now() * 1000;
    const hops = Array.from({ length: 40 }, (_, i) =>
      hopSpans({
        sentUs: now - 30e6 + i * 1000,
        deliveryUs: (10 + i) * 1000,
        group: 'billing',
        failed: i < 2,
      }),
    );
    await store.appendSpans(hops.flatMap((h) => [h.send, h.process]));

    target = http.createServer((req, res) => {
      void GET(new Request('http://127.0.0.1/metrics')).then(async (response) => {
        res.writeHead(response.status, {
          'content-type': response.headers.get('content-type') ?? 'text/plain',
        });
        res.end(Buffer.from(await response.arrayBuffer()));
      });
    });
    await new Promise<void>((resolve) => target.listen(0, '127.0.0.1', resolve));
    const targetPort = (target.address() as net.AddressInfo).port;
    const config = path.join(dir, 'prometheus.yml');
    fs.writeFileSync(
      config,
      `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: signalbox\n    static_configs:\n      - targets: ['127.0.0.1:${targetPort}']\n`,
    );
    const port = await freePort();
    api = `http://127.0.0.1:${port}`;
    prometheus = spawn(
      PROMETHEUS,
      [
        `--config.file=${config}`,
        `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor('Prometheus to be ready', async () =>
      (await fetch(`${api}/-/ready`)).ok ? true : undefined,
    );
  });

  afterAll(async () => {
    prometheus?.kill('SIGTERM');
    await new Promise((r) => (prometheus?.exitCode === null ? prometheus.once('exit', r) : r(null)));
    target?.close();
    const { getStore } = await import('@/lib/runtime');
    await (await getStore()).close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function query(promql: string): Promise<number | undefined> {
    const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { data: { result: { value: [number, string] }[] } };
    const value = body.data.result[0]?.value[1];
    return value === undefined ? undefined : Number(value);
  }

  it('scrapes the per-edge throughput, errors and latency histogram', async () => {
    const labels =
      'kind="delivery",source="spans",service="billing",destination="orders",consumer_group="billing"';
    expect(await waitFor('a successful scrape', () => query('up{job="signalbox"} == 1'))).toBe(1);
    expect(await waitFor('the delivery counter', () => query(`signalbox_messages_total{${labels}}`))).toBe(
      40,
    );
    expect(await query(`signalbox_errors_total{${labels}}`)).toBe(2);
    expect(await query(`signalbox_edge_latency_seconds_count{${labels}}`)).toBe(40);
    // Deliveries took 10..49 ms: the median falls in Prometheus' (0.025, 0.05] bucket.
    const median = await query(`histogram_quantile(0.5, signalbox_edge_latency_seconds_bucket{${labels}})`);
    expect(median).toBeGreaterThan(0.025);
    expect(median).toBeLessThanOrEqual(0.05);
    expect(await query('signalbox_messages_total{kind="publish",service="checkout"}')).toBe(40);
  });
});
