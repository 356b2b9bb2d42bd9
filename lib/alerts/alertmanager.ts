import type { AlertEvent, AlertState } from './alert-state';
import type { AlertRule } from './rule';

/*
 * Alerts for the Prometheus Alertmanager API v2 (`POST /api/v2/alerts`, a
 * list of postableAlert: labels, annotations, startsAt, endsAt,
 * generatorURL), so teams that route every alert through Alertmanager keep
 * one place. Alertmanager expects a firing alert to be sent again while it
 * fires, and resolves one whose endsAt passes: each round re-sends the firing
 * ones with endsAt a few rounds ahead (a Signalbox that stops lets them
 * expire rather than fire forever), and a resolution sends endsAt = when.
 */

export interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/** How many rounds ahead a firing alert's endsAt is set. */
const ROUNDS_AHEAD = 4;

export function postableAlert(
  state: AlertState,
  rule: AlertRule,
  publicUrl: string | null,
  endsAtMs: number,
): PostableAlert {
  return {
    labels: {
      ...rule.labels,
      alertname: rule.name,
      severity: rule.severity,
      signalbox_rule: rule.id,
      subject: state.subject,
    },
    annotations: { summary: `${rule.name}: ${state.subject} is ${state.value}`, value: state.value },
    startsAt: new Date(state.firedAtMs ?? state.breachSinceMs).toISOString(),
    endsAt: new Date(endsAtMs).toISOString(),
    // Alertmanager's UI links "Source" here: the page that explains the alert.
    generatorURL: new URL(state.href, publicUrl ?? 'http://signalbox.invalid').href,
  };
}

/** The body of an event's notification: firing until a few rounds from now, or resolved at its time. */
export function alertmanagerBody(
  event: AlertEvent,
  rule: AlertRule,
  publicUrl: string | null,
  intervalMs: number,
): string {
  const endsAt = event.type === 'resolved' ? event.atMs : event.atMs + ROUNDS_AHEAD * intervalMs;
  return JSON.stringify([postableAlert(event.state, rule, publicUrl, endsAt)]);
}

/** Re-sends every firing alert, as Alertmanager expects; resolves with the HTTP status, or throws. */
export async function resendFiring(
  url: string,
  firing: readonly { state: AlertState; rule: AlertRule }[],
  publicUrl: string | null,
  nowMs: number,
  intervalMs: number,
): Promise<number> {
  const body = firing.map(({ state, rule }) =>
    postableAlert(state, rule, publicUrl, nowMs + ROUNDS_AHEAD * intervalMs),
  );
  const response = await fetch(alertsEndpoint(url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'signalbox-alerts' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await response.body?.cancel();
  return response.status;
}

/** `http://alertmanager:9093` → its v2 alerts endpoint. */
export const alertsEndpoint = (base: string) =>
  new URL('api/v2/alerts', base.endsWith('/') ? base : `${base}/`).href;
