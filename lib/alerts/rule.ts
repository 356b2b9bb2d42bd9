import type { LagStatus } from '@/lib/lag/types';

/*
 * What an alert rule watches. Every kind is evaluated on figures the dashboard
 * already holds (the lag poller's latest snapshot, the DLQ depths), so a rule
 * costs no extra broker call and no second copy of the data.
 */
export const ALERT_KINDS = [
  'lag-status',
  'lag-seconds',
  'lag-messages',
  'time-to-drain',
  'dlq-depth',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Which groups or queues a rule covers; a null part covers all. Destination and group are globs (`payments.*`). */
export interface AlertScope {
  system: string | null;
  destination: string | null;
  group: string | null;
}

export interface AlertRule {
  /** Stable id (from the rules file): alert state and notifications refer to it. */
  id: string;
  name: string;
  kind: AlertKind;
  scope: AlertScope;
  /** The value above which a subject breaches; null for lag-status, which uses `statuses`. */
  threshold: number | null;
  /** lag-status: the statuses that breach. */
  statuses: LagStatus[];
  /** How long a breach must last before the alert fires (pending until then). */
  forSeconds: number;
  /**
   * How long a firing alert's value must stay back within bounds before it resolves: the hysteresis
   * that keeps a value hovering at the threshold from paging on every poll.
   */
  resolveAfterSeconds: number;
  severity: Severity;
  labels: Record<string, string>;
}

/** What the rule measures, in words, for pages and notifications. */
export function describeCondition(rule: AlertRule): string {
  switch (rule.kind) {
    case 'lag-status':
      return `lag status is ${rule.statuses.join(' or ')}`;
    case 'lag-seconds':
      return `lag above ${rule.threshold} s`;
    case 'lag-messages':
      return `lag above ${rule.threshold} messages`;
    case 'time-to-drain':
      return `time to drain above ${rule.threshold} s (or not draining)`;
    case 'dlq-depth':
      return `dead-letter queue holds more than ${rule.threshold} messages`;
  }
}
