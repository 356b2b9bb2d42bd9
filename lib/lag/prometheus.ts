import { STATUS_SEVERITY, type LagSnapshot, type LagStatus } from './types';

const STATUSES = Object.keys(STATUS_SEVERITY) as LagStatus[];

/** Prometheus label value escaping: backslash, double quote and newline. */
const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function labels(values: Record<string, string>): string {
  return `{${Object.entries(values)
    .map(([k, v]) => `${k}="${escape(v)}"`)
    .join(',')}}`;
}

/**
 * The lag snapshot in the Prometheus text exposition format (version 0.0.4), for /metrics. Gauges
 * per partition and per group; status as a state set (one series per status, 1 for the current one)
 * plus its severity as a number for threshold alerts; unknown values (a lag age the broker cannot
 * tell, an ETA while the lag grows) are left out rather than written as a made-up number.
 */
export function lagMetrics(snapshot: LagSnapshot): string {
  const out: string[] = [];
  const metric = (name: string, help: string, rows: (readonly [Record<string, string>, number | null])[]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
    for (const [l, value] of rows)
      if (value !== null && Number.isFinite(value)) out.push(`${name}${labels(l)} ${value}`);
  };
  const groupLabels = snapshot.groups.map((g) => ({
    system: g.system,
    destination: g.destination,
    group: g.group,
  }));
  const partitionRows = <T>(pick: (p: LagSnapshot['groups'][number]['partitions'][number]) => T) =>
    snapshot.groups.flatMap((g, i) =>
      g.partitions.map((p) => [{ ...groupLabels[i]!, partition: p.partition }, pick(p)] as const),
    );

  metric(
    'signalbox_consumer_lag_messages',
    'Messages not yet consumed, per consumer group and partition.',
    partitionRows((p) => p.lagMessages),
  );
  metric(
    'signalbox_consumer_lag_seconds',
    'Age of the oldest unconsumed message in seconds, per consumer group and partition.',
    partitionRows((p) => p.lagSeconds),
  );
  metric(
    'signalbox_consumer_group_lag_messages',
    'Messages not yet consumed by the group, all partitions.',
    snapshot.groups.map((g, i) => [groupLabels[i]!, g.lagMessages]),
  );
  metric(
    'signalbox_consumer_group_lag_seconds',
    "Age of the group's oldest unconsumed message in seconds.",
    snapshot.groups.map((g, i) => [groupLabels[i]!, g.lagSeconds]),
  );
  metric(
    'signalbox_consumer_group_status',
    'Group status (OK, WARN, REWIND, STALL, STOP, ERR): 1 for the current one.',
    snapshot.groups.flatMap((g, i) =>
      STATUSES.map(
        (s) =>
          [{ ...groupLabels[i]!, status: s }, g.status === s ? 1 : 0] as [Record<string, string>, number],
      ),
    ),
  );
  metric(
    'signalbox_consumer_group_status_severity',
    'Group status as a number: 0 OK, 1 WARN, 2 REWIND, 3 STALL, 4 STOP, 5 ERR.',
    snapshot.groups.map((g, i) => [groupLabels[i]!, STATUS_SEVERITY[g.status]]),
  );
  metric(
    'signalbox_consumer_group_lag_trend_messages_per_second',
    'Least-squares slope of the group lag over the evaluation window (positive: falling behind).',
    snapshot.groups.map((g, i) => [groupLabels[i]!, g.trend.messagesPerSecond]),
  );
  metric(
    'signalbox_consumer_group_eta_seconds',
    'Seconds until the group catches up at its current drain rate (absent while not draining).',
    snapshot.groups.map((g, i) => [groupLabels[i]!, g.etaSeconds]),
  );
  metric(
    'signalbox_broker_up',
    'Whether the last lag poll could read the broker (1) or not (0).',
    snapshot.brokers.map((b) => [
      { system: b.system, address: b.address },
      b.reachable === null ? null : b.reachable ? 1 : 0,
    ]),
  );
  return `${out.join('\n')}\n`;
}
