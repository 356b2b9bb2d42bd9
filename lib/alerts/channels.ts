import { createHmac } from 'node:crypto';
import type { AlertEvent } from './alert-state';
import { alertmanagerBody } from './alertmanager';
import { type AlertRule, describeCondition } from './rule';

/**
 * Where notifications go (SIGNALBOX_ALERT_WEBHOOK_URL, SIGNALBOX_ALERT_SLACK_URL,
 * SIGNALBOX_ALERTMANAGER_URL: the Alertmanager's base address, alertmanager.ts).
 */
export type AlertChannel =
  | { name: 'webhook'; url: string; secret: string | null }
  | { name: 'slack'; url: string }
  | { name: 'alertmanager'; url: string };

/** The webhook's JSON body (README, "Alerts"): version 1. */
export interface WebhookBody {
  version: 1;
  status: AlertEvent['type'];
  rule: {
    id: string;
    name: string;
    kind: string;
    severity: string;
    condition: string;
    labels: Record<string, string>;
  };
  subject: string;
  value: string;
  /** When the breach began, when the alert fired, and when it resolved (null while firing). */
  breachStartedAt: string;
  firedAt: string | null;
  resolvedAt: string | null;
  /** The dashboard page that explains it: absolute with SIGNALBOX_PUBLIC_URL, else a path. */
  url: string;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function webhookBody(event: AlertEvent, rule: AlertRule, publicUrl: string | null): WebhookBody {
  const { state } = event;
  return {
    version: 1,
    status: event.type,
    rule: {
      id: rule.id,
      name: rule.name,
      kind: rule.kind,
      severity: rule.severity,
      condition: describeCondition(rule),
      labels: rule.labels,
    },
    subject: state.subject,
    value: state.value,
    breachStartedAt: iso(state.breachSinceMs)!,
    firedAt: iso(state.firedAtMs),
    resolvedAt: event.type === 'resolved' ? iso(event.atMs) : null,
    url: publicUrl ? new URL(state.href, publicUrl).href : state.href,
  };
}

/** The body a channel gets for an event, fixed when the event happens so retries resend it as it was. */
export function channelBody(
  channel: AlertChannel,
  event: AlertEvent,
  rule: AlertRule,
  publicUrl: string | null,
  intervalMs: number,
): string {
  if (channel.name === 'alertmanager') return alertmanagerBody(event, rule, publicUrl, intervalMs);
  const body = webhookBody(event, rule, publicUrl);
  if (channel.name === 'webhook') return JSON.stringify(body);
  // Slack-compatible incoming webhook (Mattermost and Rocket.Chat take the same): one line of mrkdwn.
  const headline = event.type === 'firing' ? `*FIRING* [${rule.severity}]` : '*RESOLVED*';
  const link = body.url.startsWith('http') ? ` <${body.url}|open in Signalbox>` : ` (${body.url})`;
  return JSON.stringify({
    text: `${headline} ${rule.name}: ${body.subject} is ${body.value} (${body.rule.condition}).${link}`,
  });
}

/**
 * `X-Signalbox-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the receiver
 * recomputes it with the shared secret, compares in constant time, and refuses a `t` too far
 * from its clock so a captured request cannot be replayed later.
 */
export function signature(secret: string, body: string, unixSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex');
  return `t=${unixSeconds},v1=${mac}`;
}
