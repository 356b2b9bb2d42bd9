import type { Row, SerialConnection } from '@/lib/store/serial-connection';
import { numberOrNull, stringOrNull } from '@/lib/store/serial-connection';
import type { AlertEvent, AlertState } from './alert-state';
import type { AlertRule } from './rule';

/*
 * Alert state and the notification outbox, beside the telemetry in DuckDB.
 * One evaluation round's state changes and the notifications its events
 * cause are written in one transaction: after a crash or restart an alert is
 * neither notified again nor forgotten, and the sender finds every
 * notification not yet delivered.
 */

const TABLES = [
  `CREATE TABLE IF NOT EXISTS alert_states (
    rule_id VARCHAR NOT NULL, subject VARCHAR NOT NULL, phase VARCHAR NOT NULL, breach_since_ms BIGINT NOT NULL,
    fired_at_ms BIGINT, clear_since_ms BIGINT, value VARCHAR NOT NULL, href VARCHAR NOT NULL,
    acked_by VARCHAR, acked_ms BIGINT, PRIMARY KEY (rule_id, subject))`,
  `CREATE TABLE IF NOT EXISTS alert_rules (
    id VARCHAR PRIMARY KEY, rule_json VARCHAR NOT NULL, created_by VARCHAR NOT NULL, created_ms BIGINT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS alert_silences (
    id VARCHAR PRIMARY KEY, rule_id VARCHAR, subject VARCHAR, reason VARCHAR NOT NULL, created_by VARCHAR NOT NULL,
    created_ms BIGINT NOT NULL, ends_ms BIGINT NOT NULL, expired_by VARCHAR)`,
  `CREATE SEQUENCE IF NOT EXISTS alert_notification_ids START 1`,
  `CREATE TABLE IF NOT EXISTS alert_notifications (
    id BIGINT PRIMARY KEY DEFAULT nextval('alert_notification_ids'), rule_id VARCHAR NOT NULL,
    subject VARCHAR NOT NULL, event VARCHAR NOT NULL, channel VARCHAR NOT NULL, body VARCHAR NOT NULL,
    created_ms BIGINT NOT NULL, attempts INTEGER NOT NULL, next_attempt_ms BIGINT, delivered_ms BIGINT,
    last_status VARCHAR)`,
];

/** A notification for one channel, as queued and as its delivery went. */
export interface AlertNotification {
  id: number;
  ruleId: string;
  subject: string;
  event: AlertEvent['type'];
  channel: string;
  /** The JSON body sent, fixed when the event happened (a retry sends the same). */
  body: string;
  createdMs: number;
  attempts: number;
  /** Null once delivered or given up. */
  nextAttemptMs: number | null;
  deliveredMs: number | null;
  /** The last attempt's outcome: `HTTP 200`, `connection refused`, … */
  lastStatus: string | null;
}

/** A rule added on the Alerts page, with who added it. */
export interface StoredRule {
  rule: AlertRule;
  createdBy: string;
  createdMs: number;
}

/** What one evaluation round changes. */
export interface RoundChanges {
  upsert: AlertState[];
  remove: { ruleId: string; subject: string }[];
  /**
   * A notification per event and channel: the channel's name and the body it gets; a silenced one
   * is recorded as such and never sent.
   */
  notify: { event: AlertEvent; channel: string; body: string; silencedBy: AlertSilence | null }[];
}

const toState = (r: Row): AlertState => ({
  ruleId: String(r.rule_id),
  subject: String(r.subject),
  phase: r.phase as AlertState['phase'],
  breachSinceMs: Number(r.breach_since_ms),
  firedAtMs: numberOrNull(r.fired_at_ms),
  clearSinceMs: numberOrNull(r.clear_since_ms),
  value: String(r.value),
  href: String(r.href),
  ackedBy: stringOrNull(r.acked_by),
  ackedMs: numberOrNull(r.acked_ms),
});

/** Notifications held back while it lasts: for one rule or all, one subject (glob) or all. */
export interface AlertSilence {
  id: string;
  ruleId: string | null;
  subject: string | null;
  reason: string;
  createdBy: string;
  createdMs: number;
  endsMs: number;
  /** Who ended it early; null while it runs or once it ran out. */
  expiredBy: string | null;
}

const toSilence = (r: Row): AlertSilence => ({
  id: String(r.id),
  ruleId: stringOrNull(r.rule_id),
  subject: stringOrNull(r.subject),
  reason: String(r.reason),
  createdBy: String(r.created_by),
  createdMs: Number(r.created_ms),
  endsMs: Number(r.ends_ms),
  expiredBy: stringOrNull(r.expired_by),
});

const toNotification = (r: Row): AlertNotification => ({
  id: Number(r.id),
  ruleId: String(r.rule_id),
  subject: String(r.subject),
  event: r.event as AlertNotification['event'],
  channel: String(r.channel),
  body: String(r.body),
  createdMs: Number(r.created_ms),
  attempts: Number(r.attempts),
  nextAttemptMs: numberOrNull(r.next_attempt_ms),
  deliveredMs: numberOrNull(r.delivered_ms),
  lastStatus: stringOrNull(r.last_status),
});

export class AlertStore {
  private constructor(private readonly db: SerialConnection) {}

  static async create(db: SerialConnection): Promise<AlertStore> {
    for (const statement of TABLES) await db.run(statement);
    return new AlertStore(db);
  }

  async states(): Promise<AlertState[]> {
    return (await this.db.rows('SELECT * FROM alert_states ORDER BY breach_since_ms')).map(toState);
  }

  /** Applies one round in one transaction (see the file comment). */
  apply(changes: RoundChanges): Promise<void> {
    if (!changes.upsert.length && !changes.remove.length && !changes.notify.length) return Promise.resolve();
    return this.db.serial(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        for (const s of changes.upsert)
          // Everything but the acknowledgement, which the API writes between rounds.
          await c.run(
            `INSERT INTO alert_states VALUES ($rule, $subject, $phase, $since, $fired, $clear, $value, $href, NULL, NULL)
             ON CONFLICT (rule_id, subject) DO UPDATE SET phase = excluded.phase,
               breach_since_ms = excluded.breach_since_ms, fired_at_ms = excluded.fired_at_ms,
               clear_since_ms = excluded.clear_since_ms, value = excluded.value, href = excluded.href`,
            {
              rule: s.ruleId,
              subject: s.subject,
              phase: s.phase,
              since: BigInt(s.breachSinceMs),
              fired: s.firedAtMs === null ? null : BigInt(s.firedAtMs),
              clear: s.clearSinceMs === null ? null : BigInt(s.clearSinceMs),
              value: s.value,
              href: s.href,
            },
          );
        for (const r of changes.remove)
          await c.run('DELETE FROM alert_states WHERE rule_id = $rule AND subject = $subject', {
            rule: r.ruleId,
            subject: r.subject,
          });
        for (const n of changes.notify)
          await c.run(
            `INSERT INTO alert_notifications (rule_id, subject, event, channel, body, created_ms, attempts,
               next_attempt_ms, last_status)
             VALUES ($rule, $subject, $event, $channel, $body, $at, 0, $next, $status)`,
            {
              rule: n.event.state.ruleId,
              subject: n.event.state.subject,
              event: n.event.type,
              channel: n.channel,
              body: n.body,
              at: BigInt(n.event.atMs),
              next: n.silencedBy ? null : BigInt(n.event.atMs),
              status: n.silencedBy
                ? `not sent: silenced by ${n.silencedBy.createdBy} until ${new Date(n.silencedBy.endsMs).toISOString()}`
                : null,
            },
          );
        await c.run('COMMIT');
      } catch (error) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Notifications waiting whose next attempt is due, oldest first. */
  async due(nowMs: number, limit = 50): Promise<AlertNotification[]> {
    const rows = await this.db.rows(
      `SELECT * FROM alert_notifications WHERE next_attempt_ms IS NOT NULL AND next_attempt_ms <= $now
       ORDER BY id LIMIT $limit`,
      { now: BigInt(nowMs), limit },
    );
    return rows.map(toNotification);
  }

  /** Records one delivery attempt: delivered, retried at `nextAttemptMs`, or given up (both null). */
  recordAttempt(
    id: number,
    outcome: { status: string; deliveredMs: number | null; nextAttemptMs: number | null },
  ): Promise<void> {
    return this.db.run(
      `UPDATE alert_notifications SET attempts = attempts + 1, last_status = $status, delivered_ms = $delivered,
         next_attempt_ms = $next WHERE id = $id`,
      {
        id: BigInt(id),
        status: outcome.status,
        delivered: outcome.deliveredMs === null ? null : BigInt(outcome.deliveredMs),
        next: outcome.nextAttemptMs === null ? null : BigInt(outcome.nextAttemptMs),
      },
    );
  }

  /** Rules added from the Alerts page (the file's rules are in the configuration), oldest first. */
  async storedRules(): Promise<StoredRule[]> {
    return (await this.db.rows('SELECT * FROM alert_rules ORDER BY created_ms, id')).map((r) => ({
      rule: JSON.parse(String(r.rule_json)) as AlertRule,
      createdBy: String(r.created_by),
      createdMs: Number(r.created_ms),
    }));
  }

  /** Adds a rule; false when a stored rule already has its id. */
  async addRule(rule: AlertRule, by: string, atMs: number): Promise<boolean> {
    const rows = await this.db.rows(
      `INSERT INTO alert_rules VALUES ($id, $json, $by, $at) ON CONFLICT DO NOTHING RETURNING id`,
      { id: rule.id, json: JSON.stringify(rule), by, at: BigInt(atMs) },
    );
    return rows.length > 0;
  }

  /** Removes a stored rule and its alerts (no resolution is sent: the rule is gone); false when none. */
  removeRule(id: string): Promise<boolean> {
    return this.db.serial(async (c) => {
      await c.run('BEGIN TRANSACTION');
      try {
        const removed = (
          await c.runAndReadAll('DELETE FROM alert_rules WHERE id = $id RETURNING id', { id })
        ).getRows();
        await c.run('DELETE FROM alert_states WHERE rule_id = $id', { id });
        await c.run('COMMIT');
        return removed.length > 0;
      } catch (error) {
        await c.run('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Marks a firing alert as being handled; false when there is no such alert. */
  async acknowledge(ruleId: string, subject: string, by: string, atMs: number): Promise<boolean> {
    const rows = await this.db.rows(
      `UPDATE alert_states SET acked_by = $by, acked_ms = $at WHERE rule_id = $rule AND subject = $subject
       AND phase = 'firing' RETURNING rule_id`,
      { by, at: BigInt(atMs), rule: ruleId, subject },
    );
    return rows.length > 0;
  }

  async addSilence(silence: AlertSilence): Promise<void> {
    await this.db.run(
      `INSERT INTO alert_silences VALUES ($id, $rule, $subject, $reason, $by, $created, $ends, NULL)`,
      {
        id: silence.id,
        rule: silence.ruleId,
        subject: silence.subject,
        reason: silence.reason,
        by: silence.createdBy,
        created: BigInt(silence.createdMs),
        ends: BigInt(silence.endsMs),
      },
    );
  }

  /** Ends a silence now; null when there is no such silence still running. */
  async expireSilence(id: string, by: string, nowMs: number): Promise<AlertSilence | null> {
    const rows = await this.db.rows(
      `UPDATE alert_silences SET ends_ms = $now, expired_by = $by WHERE id = $id AND ends_ms > $now RETURNING *`,
      { id, by, now: BigInt(nowMs) },
    );
    return rows[0] ? toSilence(rows[0]) : null;
  }

  /** Silences still running at `nowMs`, the soonest to end first. */
  async activeSilences(nowMs: number): Promise<AlertSilence[]> {
    return (
      await this.db.rows('SELECT * FROM alert_silences WHERE ends_ms > $now ORDER BY ends_ms', {
        now: BigInt(nowMs),
      })
    ).map(toSilence);
  }

  async recent(limit: number): Promise<AlertNotification[]> {
    return (
      await this.db.rows('SELECT * FROM alert_notifications ORDER BY id DESC LIMIT $limit', { limit })
    ).map(toNotification);
  }
}
