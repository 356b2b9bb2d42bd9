import { describe, expect, it } from 'vitest';
import { parseRulesFile } from './alerts';
import { loadConfig } from './index';

const FILE = `
rules:
  - id: billing-behind
    name: Billing is behind
    kind: lag-seconds
    system: kafka
    destination: orders
    group: billing
    threshold: 120
    for: 2m
    resolveAfter: 90s
    severity: critical
    labels: { team: payments }
  - id: stuck
    name: A consumer is stuck
    kind: lag-status
`;

describe('alert rules file', () => {
  it('reads YAML rules with durations, scopes and defaults', () => {
    expect(parseRulesFile(FILE, 'rules.yaml')).toEqual([
      {
        id: 'billing-behind',
        name: 'Billing is behind',
        kind: 'lag-seconds',
        scope: { system: 'kafka', destination: 'orders', group: 'billing' },
        threshold: 120,
        statuses: [],
        windowSeconds: 300,
        percentile: 95,
        of: 'pathway',
        minMessages: 10,
        forSeconds: 120,
        resolveAfterSeconds: 90,
        severity: 'critical',
        labels: { team: 'payments' },
      },
      {
        id: 'stuck',
        name: 'A consumer is stuck',
        kind: 'lag-status',
        scope: { system: null, destination: null, group: null },
        threshold: null,
        statuses: ['WARN', 'STALL', 'STOP'],
        windowSeconds: 300,
        percentile: 95,
        of: 'pathway',
        minMessages: 10,
        forSeconds: 0,
        resolveAfterSeconds: 60,
        severity: 'warning',
        labels: {},
      },
    ]);
  });

  it('reads latency, error-ratio and no-traffic rules with their windows', () => {
    const text = `
rules:
  - { id: slow, name: Slow, kind: latency, of: edge, percentile: 99, threshold: 2.5, window: 10m }
  - { id: failing, name: Failing, kind: error-ratio, threshold: 0.05, minMessages: 50 }
  - { id: quiet, name: Quiet, kind: no-traffic, window: 15m }
  - { id: lost, name: Lost, kind: unroutable, system: rabbitmq }
`;
    expect(parseRulesFile(text, 'r.yaml')).toMatchObject([
      { kind: 'latency', of: 'edge', percentile: 99, threshold: 2.5, windowSeconds: 600 },
      { kind: 'error-ratio', threshold: 0.05, minMessages: 50, windowSeconds: 300 },
      { kind: 'no-traffic', windowSeconds: 900 },
      { kind: 'unroutable', threshold: null, scope: { system: 'rabbitmq' } },
    ]);
    expect(() =>
      parseRulesFile('rules: [{ id: q, name: Q, kind: lag-seconds, threshold: 1, window: 5m }]', 'r.yaml'),
    ).toThrow(/rule 1 \(q\), window: not used by lag-seconds/);
    expect(() =>
      parseRulesFile('rules: [{ id: e, name: E, kind: error-ratio, threshold: 5 }]', 'r.yaml'),
    ).toThrow(/threshold: a ratio: 0.05 is 5 %/);
  });

  it('reads JSON too', () => {
    const json = JSON.stringify({
      rules: [{ id: 'dlq', name: 'DLQ filling', kind: 'dlq-depth', threshold: 10 }],
    });
    expect(parseRulesFile(json, 'rules.json')).toMatchObject([
      { id: 'dlq', kind: 'dlq-depth', threshold: 10 },
    ]);
  });

  it('names the file, the rule and the field of every mistake', () => {
    const bad = `
rules:
  - { id: a, name: A, kind: lag-seconds, for: soon }
  - { id: a, name: B, kind: lag-status, threshold: 3 }
  - { id: c, name: C, kind: dlq-depth, threshold: 1, group: billing, colour: red }
`;
    expect(() => parseRulesFile(bad, '/etc/signalbox/rules.yaml')).toThrow(
      new RegExp(
        [
          '^/etc/signalbox/rules.yaml: ',
          'rule 1 \\(a\\), for: expected seconds, or a duration like 30s, 5m or 2h',
          'rule 2 \\(a\\), threshold: lag-status takes statuses, not a threshold',
          'rule 3 \\(c\\): Unrecognized key: "colour"',
          'rule 3 \\(c\\), group: a dead-letter queue has no consumer group',
        ].join('.*'),
      ),
    );
    const twice = 'rules: [{ id: a, name: A, kind: lag-status }, { id: a, name: B, kind: lag-status }]';
    expect(() => parseRulesFile(twice, 'r.yaml')).toThrow(/rule 2 \(a\), id: a is used twice/);
    expect(() => parseRulesFile('rules: [', 'r.yaml')).toThrow(/^r\.yaml: not valid YAML or JSON/);
  });

  it('refuses an unreadable rules file and a weak webhook secret at start, naming the key', () => {
    expect(() => loadConfig({ SIGNALBOX_ALERT_RULES_FILE: '/no/such/rules.yaml' })).toThrow(
      /SIGNALBOX_ALERT_RULES_FILE="\/no\/such\/rules.yaml": cannot read it/,
    );
    expect(() =>
      loadConfig({
        SIGNALBOX_ALERT_WEBHOOK_URL: 'https://hooks.example.com/x',
        SIGNALBOX_ALERT_WEBHOOK_SECRET: 'short',
      }),
    ).toThrow(/SIGNALBOX_ALERT_WEBHOOK_SECRET.*16 characters/);
    expect(
      loadConfig({ SIGNALBOX_ALERT_SLACK_URL: 'https://hooks.slack.com/services/x' }).alerts.channels,
    ).toEqual([{ name: 'slack', url: 'https://hooks.slack.com/services/x' }]);
  });
});
