import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GroupLag, LagSnapshot } from '@/lib/lag/types';
import { tempDuckDb } from '@/lib/dlq/testing/support';
import { SerialConnection } from '@/lib/store/serial-connection';
import { freePort } from '@/lib/testing/free-port';
import { AlertStore } from './alert-store';
import { AlertEvaluator } from './evaluator';
import { alertRule } from './rule';

// Alerts sent to a real Prometheus Alertmanager (0.25, Debian's prometheus-alertmanager; CI installs
// it): firing shows there as active, re-sent every round, and resolved leaves its list. The lag
// figures are given directly here: reading them from a broker is covered in alerts.kafka.int.test.ts.
const ALERTMANAGER = process.env.ALERTMANAGER_BIN ?? '/usr/bin/prometheus-alertmanager';
if (!fs.existsSync(ALERTMANAGER))
  throw new Error(`${ALERTMANAGER} not found: CI must install the prometheus-alertmanager package`);

interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  status: { state: string };
}

describe('alerts to a real Alertmanager', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-alertmanager-'));
  let alertmanager: ChildProcess;
  let base = '';
  let db: Awaited<ReturnType<typeof tempDuckDb>>;

  beforeAll(async () => {
    const config = path.join(dir, 'alertmanager.yml');
    fs.writeFileSync(config, "route: { receiver: 'nobody' }\nreceivers: [{ name: 'nobody' }]\n");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    alertmanager = spawn(
      ALERTMANAGER,
      [
        `--config.file=${config}`,
        `--storage.path=${dir}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--cluster.listen-address=',
      ],
      { stdio: 'ignore' },
    );
    const deadline = Date.now() + 30_000;
    while (
      !(await fetch(`${base}/-/ready`).then(
        (r) => r.ok,
        () => false,
      ))
    ) {
      if (Date.now() > deadline) throw new Error('Alertmanager did not become ready in 30 s');
      await new Promise((r) => setTimeout(r, 200));
    }
    db = await tempDuckDb();
  });

  afterAll(async () => {
    alertmanager?.kill('SIGTERM');
    await new Promise((r) => (alertmanager?.exitCode === null ? alertmanager.once('exit', r) : r(null)));
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const shown = async (): Promise<ApiAlert[]> =>
    ((await (await fetch(`${base}/api/v2/alerts`)).json()) as ApiAlert[]).filter(
      (a) => a.labels.signalbox_rule === 'orders-behind',
    );

  it('shows a firing alert as active with its labels and link, keeps it alive each round, and resolves it', async () => {
    let lagMessages = 40;
    const snapshot = (): LagSnapshot => ({
      generatedAt: new Date().toISOString(),
      brokers: [],
      groups: [{ system: 'kafka', destination: 'orders', group: 'billing', lagMessages } as GroupLag],
    });
    const evaluator = new AlertEvaluator({
      rules: [
        alertRule({
          id: 'orders-behind',
          name: 'Orders backlog',
          kind: 'lag-messages',
          scope: { system: 'kafka', destination: 'orders', group: null },
          threshold: 10,
          forSeconds: 0,
          resolveAfterSeconds: 0,
          severity: 'critical',
          labels: { team: 'payments' },
        }),
      ],
      store: await AlertStore.create(new SerialConnection(db.connection)),
      channels: [{ name: 'alertmanager', url: base }],
      inputs: () => Promise.resolve({ lag: snapshot(), dlq: null, telemetry: null }),
      publicUrl: 'https://signalbox.example.com',
      intervalMs: 15_000,
      schedule: false,
    });

    await evaluator.evaluateNow();
    const [first] = await shown();
    expect(first).toMatchObject({
      labels: {
        alertname: 'Orders backlog',
        severity: 'critical',
        team: 'payments',
        subject: 'kafka:orders#billing',
        signalbox_rule: 'orders-behind',
      },
      annotations: { summary: 'Orders backlog: kafka:orders#billing is 40 messages', value: '40 messages' },
      generatorURL: 'https://signalbox.example.com/lag?system=kafka&destination=orders&group=billing',
      status: { state: 'active' },
    });
    // Set a few rounds ahead: if Signalbox stopped sending, Alertmanager would resolve it by itself.
    expect(Date.parse(first!.endsAt) - Date.now()).toBeGreaterThan(30_000);

    await new Promise((r) => setTimeout(r, 50));
    lagMessages = 55;
    await evaluator.evaluateNow();
    const [again] = await shown();
    expect(again!.startsAt).toBe(first!.startsAt);
    expect(Date.parse(again!.endsAt)).toBeGreaterThan(Date.parse(first!.endsAt));
    expect(again!.annotations.value).toBe('55 messages');

    lagMessages = 0;
    await evaluator.evaluateNow();
    expect(await shown()).toEqual([]);
    await evaluator.stop();
  });
});
