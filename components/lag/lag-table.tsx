import Link from 'next/link';
import { groupKeyId } from '@/lib/lag/history';
import type { GroupKey, GroupLag, GroupSeriesPoint } from '@/lib/lag/types';
import { SOURCE_MEANING, TREND_MEANING, formatCount, formatEta, formatLagTime, formatTrend } from './format';
import styles from './lag.module.css';
import { Sparkline } from './sparkline';
import { StatusBadge } from './status-badge';
import { NumHeader } from '@/components/num-header';
import { DataTable } from '@/components/data-table';

const SYSTEM_LABEL: Record<GroupKey['system'], string> = {
  kafka: 'Kafka',
  rabbitmq: 'RabbitMQ',
  nats: 'NATS',
  redis: 'Redis',
  aws_sqs: 'SQS',
  bullmq: 'BullMQ',
};

export const systemLabel = (system: GroupKey['system']) => SYSTEM_LABEL[system];

/** A link to the group's drill-down, keeping the page's other parameters (time range). */
export function groupHref(params: Record<string, string>, key: GroupKey): string {
  const query = new URLSearchParams(params);
  query.set('system', key.system);
  query.set('destination', key.destination);
  query.set('group', key.group);
  return `/lag?${query.toString()}`;
}

/** Every group, worst first: status, lag in messages and in time, trend, sparkline, ETA. */
export function LagTable({
  groups,
  series,
  params,
  range,
  selected,
}: {
  groups: readonly GroupLag[];
  series: ReadonlyMap<string, readonly GroupSeriesPoint[]>;
  params: Record<string, string>;
  range: string;
  selected: GroupKey | null;
}) {
  return (
    <DataTable
      caption={
        <>
          Worst first. Lag counts messages not yet consumed; its time is the age of the oldest of them. Click
          a group for its partitions and charts.
        </>
      }
      columns={[
        'Status',
        'Group',
        'Destination',
        <NumHeader>Lag (messages)</NumHeader>,
        <NumHeader>Lag (time)</NumHeader>,
        <NumHeader>Trend</NumHeader>,
        `Last ${range}`,
        <NumHeader>Time to drain</NumHeader>,
        <NumHeader>Consumers</NumHeader>,
      ]}
    >
      {groups.map((g) => {
        const id = groupKeyId(g);
        const isSelected = selected !== null && groupKeyId(selected) === id;
        return (
          <tr key={id} data-status={g.status} aria-selected={isSelected || undefined}>
            <td>
              <StatusBadge status={g.status} reason={g.statusReason} />
            </td>
            <td className="wrap">
              <Link href={groupHref(params, g)} scroll={false}>
                {g.group}
              </Link>
            </td>
            <td className="wrap">
              {g.destination} <span className="muted">({systemLabel(g.system)})</span>
            </td>
            <td className="num">{formatCount(g.lagMessages)}</td>
            <td className="num" title={SOURCE_MEANING[g.lagSecondsSource]}>
              {formatLagTime(g.lagSeconds, g.lagSecondsSource)}
            </td>
            <td
              className={`num ${g.trend.direction === 'growing' ? styles.growing : g.trend.direction === 'shrinking' ? styles.shrinking : ''}`}
              title={TREND_MEANING[g.trend.direction]}
            >
              {formatTrend(g.trend)}
            </td>
            <td>
              <Sparkline points={series.get(id) ?? []} range={range} />
            </td>
            <td className="num">{formatEta(g.etaSeconds, g.lagMessages, g.trend)}</td>
            <td className="num">{g.consumers === null ? '—' : g.consumers}</td>
          </tr>
        );
      })}
    </DataTable>
  );
}
