import type { LagStatus } from '@/lib/lag/types';

/*
 * What an alert rule watches. Every kind is evaluated on figures the dashboard
 * already holds (the lag poller's latest snapshot, the DLQ depths, the store's
 * rollups for latency, errors and traffic), so a rule costs no extra broker
 * call and no second copy of the data.
 */
export const ALERT_KINDS = [
  'lag-status',
  'lag-seconds',
  'lag-messages',
  'time-to-drain',
  'dlq-depth',
  'latency',
  'error-ratio',
  'no-traffic',
  'unroutable',
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
  /**
   * latency, error-ratio, no-traffic: the window the figures are taken over (latency, error ratio), or
   * how long an edge that had traffic must be silent (no-traffic).
   */
  windowSeconds: number;
  /** latency: which percentile, of end-to-end pathways or of single edges. */
  percentile: 95 | 99;
  of: 'pathway' | 'edge';
  /** error-ratio: fewer messages than this in the window never breach (1 failure in 2 is not 50 %). */
  minMessages: number;
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

/** A rule with the defaults for what `fields` leave out (the rules file's defaults too). */
export function alertRule(fields: Pick<AlertRule, 'id' | 'name' | 'kind'> & Partial<AlertRule>): AlertRule {
  return {
    scope: { system: null, destination: null, group: null },
    threshold: null,
    statuses: fields.kind === 'lag-status' ? ['WARN', 'STALL', 'STOP'] : [],
    windowSeconds: 300,
    percentile: 95,
    of: 'pathway',
    minMessages: 10,
    forSeconds: 0,
    resolveAfterSeconds: 60,
    severity: 'warning',
    labels: {},
    ...fields,
  };
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
    case 'latency':
      return `${rule.of} p${rule.percentile} above ${rule.threshold} s over ${rule.windowSeconds} s`;
    case 'error-ratio':
      return `errors above ${(rule.threshold ?? 0) * 100} % over ${rule.windowSeconds} s`;
    case 'no-traffic':
      return `no messages for ${rule.windowSeconds} s on an edge that had traffic`;
    case 'unroutable':
      return `messages published where no queue receives them, within ${rule.windowSeconds} s`;
  }
}
