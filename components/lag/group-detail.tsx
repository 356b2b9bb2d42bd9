import Link from 'next/link';
import type { GroupLag, GroupSeriesPoint } from '@/lib/lag/types';
import type { HistoryView } from '@/lib/lag/views';
import { SOURCE_MEANING, formatCount, formatEta, formatLagTime, formatTrend } from './format';
import styles from './lag.module.css';
import { LagChart } from './lag-chart';
import { systemLabel } from './lag-table';
import { StatusBadge } from './status-badge';
import { NumHeader } from '@/components/num-header';
import { Figures } from '@/components/figures';
import { DataTable } from '@/components/data-table';

/** At most this many partitions get a line in the chart (the most lagging); the table lists all. */
const CHART_PARTITIONS = 8;

/** "ackPending" → "Ack pending". */
function words(key: string): string {
  const spaced = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function rowsOf(series: { key: string; points: readonly GroupSeriesPoint[] }[], withSeconds: boolean) {
  const rows = new Map<number, Record<string, number | null>>();
  for (const { key, points } of series) {
    for (const p of points) {
      const row = rows.get(p.tsMs) ?? { tsMs: p.tsMs };
      row[key] = p.lagMessages;
      if (withSeconds) row.seconds = p.lagSeconds;
      rows.set(p.tsMs, row);
    }
  }
  return [...rows.values()].sort((a, b) => (a.tsMs ?? 0) - (b.tsMs ?? 0));
}

/** One group opened: its figures, its lag over the time range, and each partition. */
export function GroupDetail({
  group,
  history,
  range,
  closeHref,
}: {
  group: GroupLag;
  history: HistoryView;
  range: string;
  closeHref: string;
}) {
  const points = history.groups[0]?.points ?? [];
  const partitions = history.partitions ?? [];
  const figures: [string, string][] = [
    ['Lag (messages)', formatCount(group.lagMessages)],
    ['Lag (time)', formatLagTime(group.lagSeconds, group.lagSecondsSource)],
    ['Trend', formatTrend(group.trend)],
    ['Time to drain', formatEta(group.etaSeconds, group.lagMessages, group.trend)],
    ['Consumers', group.consumers === null ? 'unknown' : String(group.consumers)],
    ...Object.entries(group.details).map(([key, value]): [string, string] => [
      words(key),
      value === null ? '—' : typeof value === 'number' ? formatCount(value) : value,
    ]),
  ];
  const charted = [...group.partitions]
    .sort((a, b) => b.lagMessages - a.lagMessages)
    .slice(0, CHART_PARTITIONS)
    .map((p) => p.partition);
  const peak = Math.max(0, ...points.map((p) => p.lagMessages));
  return (
    <>
      <div className={styles.detailHead}>
        <h2 id="group-title">
          {group.group}{' '}
          <span className="muted">
            on {group.destination} ({systemLabel(group.system)})
          </span>
        </h2>
        <Link href={closeHref} className="button" scroll={false}>
          Close
        </Link>
      </div>
      <p className={styles.reason}>
        <StatusBadge status={group.status} /> {group.statusReason}.{' '}
        <span className="muted">
          Read {new Date(group.readAt).toLocaleTimeString('en-GB')} from <code>{group.broker}</code>. Lag
          time: {SOURCE_MEANING[group.lagSecondsSource]}.
        </span>
      </p>
      <Figures figures={figures} />
      <figure aria-labelledby="group-chart-caption" style={{ margin: '16px 0 0' }}>
        <figcaption id="group-chart-caption" className="muted">
          Lag over the last {range}: {points.length} points, peak {formatCount(peak)} messages (solid, left
          axis); age of the oldest waiting message in seconds (dashed, right axis).
        </figcaption>
        {points.length > 1 ? (
          <LagChart
            rows={rowsOf([{ key: 'messages', points }], true)}
            lines={[
              { key: 'messages', label: 'lag (messages)', axis: 'messages' },
              { key: 'seconds', label: 'oldest message (s)', axis: 'seconds' },
            ]}
          />
        ) : (
          <p className="muted">Not enough history yet: the chart appears after two polls.</p>
        )}
      </figure>
      {group.partitions.length > 1 && partitions.length > 0 ? (
        <figure aria-labelledby="partition-chart-caption" style={{ margin: '16px 0 0' }}>
          <figcaption id="partition-chart-caption" className="muted">
            Lag per partition over the last {range}
            {group.partitions.length > CHART_PARTITIONS ? ` (the ${CHART_PARTITIONS} most lagging)` : ''}.
          </figcaption>
          <LagChart
            rows={rowsOf(
              partitions
                .filter((p) => charted.includes(p.partition))
                .map((p) => ({ key: `p${p.partition}`, points: p.points })),
              false,
            )}
            lines={charted.map((p) => ({ key: `p${p}`, label: `partition ${p}`, axis: 'messages' as const }))}
          />
        </figure>
      ) : null}
      <DataTable
        label="Partitions"
        columns={[
          'Partition',
          'Status',
          <NumHeader>Lag (messages)</NumHeader>,
          <NumHeader>Lag (time)</NumHeader>,
          <NumHeader>Position</NumHeader>,
          <NumHeader>End</NumHeader>,
        ]}
      >
        {group.partitions.map((p) => (
          <tr key={p.partition} data-status={p.status}>
            <td>{p.partition === '' ? '(queue)' : p.partition}</td>
            <td>
              <StatusBadge status={p.status} />
            </td>
            <td className="num">{formatCount(p.lagMessages)}</td>
            <td className="num" title={SOURCE_MEANING[p.lagSecondsSource]}>
              {formatLagTime(p.lagSeconds, p.lagSecondsSource)}
            </td>
            <td className="num">{p.position === null ? '—' : formatCount(p.position)}</td>
            <td className="num">{p.endPosition === null ? '—' : formatCount(p.endPosition)}</td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}
