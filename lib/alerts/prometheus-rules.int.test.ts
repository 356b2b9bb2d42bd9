import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseRulesFile } from '@/lib/config/alerts';
import { lagMetrics } from '@/lib/lag/prometheus';
import type { GroupLag, LagSnapshot } from '@/lib/lag/types';
import { prometheusRules } from './prometheus-rules';

// The generated rules checked and run by the real promtool (Debian's prometheus package; CI installs
// it), over a series written by the dashboard's own /metrics code, so rule and exposition agree.
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';
if (!fs.existsSync(PROMTOOL))
  throw new Error(`${PROMTOOL} not found: CI must install the prometheus package`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signalbox-promrules-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const rules = parseRulesFile(
  fs.readFileSync('examples/alert-rules.yaml', 'utf8'),
  'examples/alert-rules.yaml',
);
const rulesFile = path.join(dir, 'signalbox-rules.yml');
fs.writeFileSync(rulesFile, prometheusRules(rules));

/** The /metrics line of the billing group's lag in seconds, as the dashboard writes it. */
function exposedSeries(): string {
  const group = {
    system: 'kafka',
    destination: 'orders',
    group: 'billing',
    lagMessages: 40,
    lagSeconds: 90,
    status: 'WARN',
    trend: { direction: 'growing', messagesPerSecond: 1 },
    etaSeconds: null,
    partitions: [],
  } as unknown as GroupLag;
  const text = lagMetrics({ generatedAt: '', groups: [group], brokers: [] } satisfies LagSnapshot);
  const line = text.split('\n').find((l) => l.startsWith('signalbox_consumer_group_lag_seconds{'))!;
  return line.slice(0, line.lastIndexOf(' '));
}

describe('alert rules as Prometheus rules, in the real promtool', () => {
  it('passes promtool check rules, naming the rule it could not express', () => {
    const out = execFileSync(PROMTOOL, ['check', 'rules', rulesFile], { encoding: 'utf8' });
    expect(out).toContain('SUCCESS: 2 rules found');
    expect(fs.readFileSync(rulesFile, 'utf8')).toContain(
      '# Left out, no /metrics series for them: payments-dlq (dlq-depth).',
    );
  });

  it('fires the lag rule after its for-duration on the series /metrics exposes, with its labels', () => {
    const test = {
      rule_files: [rulesFile],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '1m',
          // 90 s behind from the start: over the 60 s threshold, for longer than the 2 m for-duration.
          input_series: [{ series: exposedSeries(), values: '90x10' }],
          alert_rule_test: [
            { eval_time: '1m', alertname: 'Billing is more than a minute behind on orders', exp_alerts: [] },
            {
              eval_time: '3m',
              alertname: 'Billing is more than a minute behind on orders',
              exp_alerts: [
                {
                  exp_labels: {
                    system: 'kafka',
                    destination: 'orders',
                    group: 'billing',
                    severity: 'warning',
                    team: 'payments',
                    signalbox_rule: 'billing-behind',
                  },
                  exp_annotations: {
                    summary: 'Billing is more than a minute behind on orders',
                    description: 'kafka orders billing: lag above 60 s',
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const testFile = path.join(dir, 'test.yml');
    fs.writeFileSync(testFile, stringify(test));
    const out = execFileSync(PROMTOOL, ['test', 'rules', testFile], { encoding: 'utf8' });
    expect(out).toContain('SUCCESS');
  });
});
