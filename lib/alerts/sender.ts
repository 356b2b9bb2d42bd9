import type { AlertNotification, AlertStore } from './alert-store';
import { alertsEndpoint } from './alertmanager';
import { type AlertChannel, signature } from './channels';

/** Attempts before a notification is given up (the last about an hour and a half after the first). */
const MAX_ATTEMPTS = 12;
const TIMEOUT_MS = 10_000;

/** 5 s, 10 s, 20 s, … up to 10 minutes between attempts. */
export const retryDelayMs = (attempts: number) => Math.min(5000 * 2 ** (attempts - 1), 600_000);

async function post(channel: AlertChannel, notification: AlertNotification, nowMs: number): Promise<string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'signalbox-alerts',
    // The same id on every attempt: a receiver that saw it already can drop the repeat.
    'x-signalbox-delivery': String(notification.id),
  };
  if (channel.name === 'webhook' && channel.secret)
    headers['x-signalbox-signature'] = signature(channel.secret, notification.body, Math.floor(nowMs / 1000));
  const response = await fetch(channel.name === 'alertmanager' ? alertsEndpoint(channel.url) : channel.url, {
    method: 'POST',
    headers,
    body: notification.body,
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'error',
  });
  await response.body?.cancel();
  return `HTTP ${response.status}`;
}

/**
 * Sends every notification that is due, one attempt each, and records how it
 * went: delivered on a 2xx; otherwise retried later with backoff, and given
 * up after MAX_ATTEMPTS. Delivery is at least once: a crash between a
 * receiver's 2xx and the record sends it again, with the same
 * X-Signalbox-Delivery id.
 */
export async function deliverDue(
  store: AlertStore,
  channels: readonly AlertChannel[],
  now: () => number = Date.now,
): Promise<void> {
  for (const notification of await store.due(now())) {
    const channel = channels.find((c) => c.name === notification.channel);
    if (!channel) {
      await store.recordAttempt(notification.id, {
        status: `channel ${notification.channel} is no longer configured; given up`,
        deliveredMs: null,
        nextAttemptMs: null,
      });
      continue;
    }
    let status: string;
    let ok = false;
    try {
      status = await post(channel, notification, now());
      ok = /^HTTP 2\d\d$/.test(status);
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      status = cause ?? (error as Error).name ?? 'failed';
    }
    const attempts = notification.attempts + 1;
    await store.recordAttempt(notification.id, {
      status: ok || attempts < MAX_ATTEMPTS ? status : `${status}; given up after ${attempts} attempts`,
      deliveredMs: ok ? now() : null,
      nextAttemptMs: ok || attempts >= MAX_ATTEMPTS ? null : now() + retryDelayMs(attempts),
    });
  }
}
