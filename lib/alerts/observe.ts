import type { QueueView } from '@/lib/dlq/service';
import { lagHref } from '@/lib/lag/flows';
import type { GroupLag, LagSnapshot } from '@/lib/lag/types';
import { destinationMatches } from '@/lib/model/access';
import { type TelemetryReader, observeTelemetry } from './observe-telemetry';
import type { AlertRule, AlertScope } from './rule';

/** What the evaluator reads each round: the figures the dashboard already holds. */
export interface AlertInputs {
  /** The lag poller's latest snapshot; null without lag polling. */
  lag: LagSnapshot | null;
  /** Dead-letter queues and their depths; null without DLQ services. */
  dlq: readonly QueueView[] | null;
  /** The store's latency, error and traffic figures over a window; null without a store (tests). */
  telemetry: TelemetryReader | null;
}

/** One subject (a consumer group, a DLQ) a rule looked at this round. */
export interface Observation {
  /** `kafka:orders#billing` for a group, the queue id for a DLQ. */
  subject: string;
  breaching: boolean;
  /** The figure compared, as shown (`312 s`, `STALL`, `42 messages`). */
  value: string;
  /** The dashboard page that explains it. */
  href: string;
}

const covers = (scope: AlertScope, system: string, destination: string, group: string | null): boolean =>
  (scope.system === null || scope.system === system) &&
  (scope.destination === null || destinationMatches(scope.destination, destination)) &&
  (scope.group === null || (group !== null && destinationMatches(scope.group, group)));

function lagObservation(rule: AlertRule, g: GroupLag): Observation {
  const threshold = rule.threshold ?? Infinity;
  const base = { subject: `${g.system}:${g.destination}#${g.group}`, href: lagHref(g) };
  switch (rule.kind) {
    case 'lag-status':
      return { ...base, breaching: rule.statuses.includes(g.status), value: g.status };
    case 'lag-seconds':
      return {
        ...base,
        breaching: g.lagSeconds !== null && g.lagSeconds > threshold,
        value: g.lagSeconds === null ? 'unknown' : `${Math.round(g.lagSeconds)} s`,
      };
    case 'lag-messages':
      return { ...base, breaching: g.lagMessages > threshold, value: `${g.lagMessages} messages` };
    default: {
      // time-to-drain: a group with a backlog that is not draining never drains.
      const eta = g.lagMessages > 0 && g.etaSeconds === null ? Infinity : (g.etaSeconds ?? 0);
      return {
        ...base,
        breaching: eta > threshold,
        value: eta === Infinity ? 'not draining' : `${Math.round(eta)} s`,
      };
    }
  }
}

const TELEMETRY_KINDS = new Set(['latency', 'error-ratio', 'no-traffic', 'unroutable']);

/** Every subject in the rule's scope, and whether it breaches now. */
export async function observe(rule: AlertRule, inputs: AlertInputs, nowMs: number): Promise<Observation[]> {
  if (TELEMETRY_KINDS.has(rule.kind))
    return inputs.telemetry ? observeTelemetry(rule, inputs.telemetry, nowMs) : [];
  if (rule.kind === 'dlq-depth') {
    return (inputs.dlq ?? [])
      .filter((q) => q.messages !== null && covers(rule.scope, q.system, q.name, null))
      .map((q) => ({
        subject: q.id,
        breaching: q.messages! > (rule.threshold ?? Infinity),
        value: `${q.messages} messages`,
        href: `/dlq?queue=${encodeURIComponent(q.id)}`,
      }));
  }
  return (inputs.lag?.groups ?? [])
    .filter((g) => covers(rule.scope, g.system, g.destination, g.group))
    .map((g) => lagObservation(rule, g));
}
