import type { FlowEdge, FlowGraph } from '@/lib/analytics/flows';
import type { LatencyReport } from '@/lib/analytics/latency';
import type { TimeRange } from '@/lib/analytics/time-range';
import { destinationMatches } from '@/lib/model/access';
import type { Observation } from './observe';
import type { AlertRule, AlertScope } from './rule';

/** The store's figures over a window: what latency, error-ratio and no-traffic rules read. */
export interface TelemetryReader {
  latency(range: TimeRange): Promise<LatencyReport>;
  flows(range: TimeRange): Promise<FlowGraph>;
}

/** How long before a no-traffic rule's window an edge must have had traffic to count as gone silent. */
const BASELINE_MS = 3_600_000;

const matches = (pattern: string | null, value: string | null) =>
  pattern === null || (value !== null && destinationMatches(pattern, value));

const inScope = (scope: AlertScope, system: string, destinations: string[], group: string | null) =>
  (scope.system === null || scope.system === system) &&
  (scope.destination === null || destinations.some((d) => matches(scope.destination, d))) &&
  matches(scope.group, group);

const range = (fromMs: number, toMs: number): TimeRange => ({
  from: new Date(fromMs).toISOString(),
  to: new Date(toMs).toISOString(),
  fromUs: fromMs * 1000,
  toUs: toMs * 1000,
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;

/** The destination an edge touches, by its node's name and label (scopes name either). */
function destinationsOf(graph: FlowGraph, edge: FlowEdge): string[] {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  return [edge.source, edge.target]
    .map((id) => nodes.get(id))
    .filter((n) => n?.kind === 'destination')
    .flatMap((n) => [n!.name, n!.label]);
}

const edgeHref = (edge: { id: string }, windowSeconds: number) =>
  `/flows?${new URLSearchParams({ from: `${windowSeconds}s`, edge: edge.id }).toString()}`;

async function latencyObservations(rule: AlertRule, reader: TelemetryReader, nowMs: number) {
  const report = await reader.latency(range(nowMs - rule.windowSeconds * 1000, nowMs));
  const pick = (f: { p95Ms: number | null; p99Ms: number | null }) =>
    rule.percentile === 99 ? f.p99Ms : f.p95Ms;
  const threshold = (rule.threshold ?? Infinity) * 1000;
  if (rule.of === 'pathway')
    return report.pathways
      .filter((p) =>
        inScope(rule.scope, p.consumer.system, [p.consumer.destination], p.consumer.consumerGroup),
      )
      .filter((p) => pick(p) !== null)
      .map((p): Observation => ({
        subject: `pathway:${p.id}`,
        breaching: pick(p)! > threshold,
        value: `p${rule.percentile} ${seconds(pick(p)!)} (${p.source ?? 'no data'})`,
        href: `/latency?${new URLSearchParams({ from: `${rule.windowSeconds}s`, pathway: p.id }).toString()}`,
      }));
  return report.edges
    .filter((e) => {
      const destination = e.latencyKind === 'delivery' ? e.sourceLabel : e.targetLabel;
      return inScope(rule.scope, e.system, [destination], e.consumerGroup);
    })
    .filter((e) => pick(e) !== null)
    .map((e): Observation => ({
      subject: e.edgeId,
      breaching: pick(e)! > threshold,
      value: `p${rule.percentile} ${seconds(pick(e)!)} (${e.source ?? 'no data'})`,
      href: edgeHref({ id: e.edgeId }, rule.windowSeconds),
    }));
}

async function errorRatioObservations(rule: AlertRule, reader: TelemetryReader, nowMs: number) {
  const graph = await reader.flows(range(nowMs - rule.windowSeconds * 1000, nowMs));
  return graph.edges
    .filter(
      (e) => e.kind !== 'route' && inScope(rule.scope, e.system, destinationsOf(graph, e), e.consumerGroup),
    )
    .map((e): Observation => {
      const ratio = e.messages > 0 ? e.errors / e.messages : 0;
      return {
        subject: e.id,
        breaching: e.messages >= rule.minMessages && ratio > (rule.threshold ?? Infinity),
        value: `${(ratio * 100).toFixed(1)} % of ${e.messages} messages`,
        href: edgeHref(e, rule.windowSeconds),
      };
    });
}

/** Edges with traffic in the hour before the window, and what they carried within it. */
async function noTrafficObservations(rule: AlertRule, reader: TelemetryReader, nowMs: number) {
  const windowStart = nowMs - rule.windowSeconds * 1000;
  const [before, recent] = await Promise.all([
    reader.flows(range(windowStart - BASELINE_MS, windowStart)),
    reader.flows(range(windowStart, nowMs)),
  ]);
  const now = new Map(recent.edges.map((e) => [e.id, e.messages]));
  return before.edges
    .filter((e) => e.kind !== 'route' && e.messages > 0)
    .filter((e) => inScope(rule.scope, e.system, destinationsOf(before, e), e.consumerGroup))
    .map((e): Observation => {
      const messages = now.get(e.id) ?? 0;
      return {
        subject: e.id,
        breaching: messages === 0,
        value: messages === 0 ? `silent for ${rule.windowSeconds} s` : `${messages} messages`,
        href: edgeHref(e, rule.windowSeconds + BASELINE_MS / 1000),
      };
    });
}

/**
 * Destinations published to in the window that RabbitMQ's bindings say nothing receives from (an
 * exchange without a matching binding): those messages are dropped, or kept only by an
 * alternate exchange. Never claimed without the bindings (the graph's `unroutable`).
 */
async function unroutableObservations(rule: AlertRule, reader: TelemetryReader, nowMs: number) {
  const graph = await reader.flows(range(nowMs - rule.windowSeconds * 1000, nowMs));
  return graph.nodes
    .filter((n) => n.kind === 'destination' && inScope(rule.scope, n.system ?? '', [n.name, n.label], null))
    .map((n): Observation => {
      const published = graph.edges
        .filter((e) => e.target === n.id && e.kind === 'publish')
        .reduce((sum, e) => sum + e.messages, 0);
      return {
        subject: n.id,
        breaching: n.unroutable !== undefined && published > 0,
        value: n.unroutable ? `${published} messages: ${n.unroutable}` : `${published} messages, routed`,
        href: `/flows?${new URLSearchParams({ from: `${rule.windowSeconds}s` }).toString()}`,
      };
    });
}

/** The observations of a rule on the store's figures (latency, error-ratio, no-traffic, unroutable). */
export function observeTelemetry(
  rule: AlertRule,
  reader: TelemetryReader,
  nowMs: number,
): Promise<Observation[]> {
  if (rule.kind === 'latency') return latencyObservations(rule, reader, nowMs);
  if (rule.kind === 'error-ratio') return errorRatioObservations(rule, reader, nowMs);
  if (rule.kind === 'unroutable') return unroutableObservations(rule, reader, nowMs);
  return noTrafficObservations(rule, reader, nowMs);
}
