import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AlertEvent } from './alert-state';
import { channelBody, signature } from './channels';
import { alertRule } from './rule';

const rule = alertRule({
  id: 'dlq-filling',
  name: 'Payments DLQ filling',
  kind: 'dlq-depth',
  scope: { system: 'rabbitmq', destination: 'payments.*', group: null },
  threshold: 10,
  forSeconds: 60,
  resolveAfterSeconds: 60,
  severity: 'warning',
  labels: {},
});
const event: AlertEvent = {
  type: 'firing',
  atMs: Date.UTC(2026, 11, 5, 4, 0, 0),
  state: {
    ruleId: 'dlq-filling',
    subject: 'rabbitmq:payments.dlq',
    phase: 'firing',
    breachSinceMs: Date.UTC(2026, 11, 5, 3, 59, 0),
    firedAtMs: Date.UTC(2026, 11, 5, 4, 0, 0),
    clearSinceMs: null,
    value: '42 messages',
    href: '/dlq?queue=rabbitmq%3Apayments.dlq',
    ackedBy: null,
    ackedMs: null,
  },
};

describe('alert channels', () => {
  it('writes a Slack line that links to the DLQ', () => {
    expect(
      JSON.parse(
        channelBody({ name: 'slack', url: 'https://x' }, event, rule, 'https://sb.example.com', 15_000),
      ),
    ).toEqual({
      text:
        '*FIRING* [warning] Payments DLQ filling: rabbitmq:payments.dlq is 42 messages ' +
        '(dead-letter queue holds more than 10 messages). ' +
        '<https://sb.example.com/dlq?queue=rabbitmq%3Apayments.dlq|open in Signalbox>',
    });
  });

  it('keeps the link a path without a public URL', () => {
    const body: unknown = JSON.parse(
      channelBody({ name: 'webhook', url: 'https://x', secret: null }, event, rule, null, 15_000),
    );
    expect(body).toMatchObject({
      url: '/dlq?queue=rabbitmq%3Apayments.dlq',
      firedAt: '2026-12-05T04:00:00.000Z',
    });
  });

  it('signs "<t>.<body>" with HMAC-SHA256, so a receiver can check it with the secret alone', () => {
    const body = '{"version":1}';
    const header = signature('s3cret-s3cret-s3cret', body, 1_764_907_200);
    const mac = createHmac('sha256', 's3cret-s3cret-s3cret').update(`1764907200.${body}`).digest('hex');
    expect(header).toBe(`t=1764907200,v1=${mac}`);
    expect(signature('s3cret-s3cret-s3cret', `${body} `, 1_764_907_200)).not.toBe(header);
  });
});
