import { openRangePage } from '@/components/range-page';
import type { Metadata } from 'next';
import Link from 'next/link';
import { Suspense } from 'react';
import { BrokerList } from '@/components/lag/broker-list';
import { EmptyLag } from '@/components/lag/empty-lag';
import { GroupDetail } from '@/components/lag/group-detail';
import { LagTable } from '@/components/lag/lag-table';
import type { TimeRange } from '@/lib/analytics/time-range';
import { ConfigError } from '@/lib/config';
import { getLagPoller } from '@/lib/runtime';
import { groupKeyId } from '@/lib/lag/history';
import type { LagPoller } from '@/lib/lag/poller';
import type { GroupKey, GroupSeriesPoint } from '@/lib/lag/types';
import { LagQueryError, historyView, parseGroupKey, stepFor } from '@/lib/lag/views';
import type { SearchParams } from '@/lib/ui/search-params';

export const metadata: Metadata = { title: 'Lag' };
export const dynamic = 'force-dynamic';

const windowOf = (range: TimeRange) => ({
  sinceMs: Math.floor(range.fromUs / 1000),
  untilMs: Math.ceil(range.toUs / 1000),
});

function Problem({ title, message }: { title: string; message: string }) {
  return (
    <section className="panel empty" role="alert" aria-labelledby="lag-problem">
      <h2 id="lag-problem">{title}</h2>
      <p>{message}</p>
    </section>
  );
}

async function GroupsPanel({
  poller,
  range,
  params,
  selected,
}: {
  poller: LagPoller;
  range: TimeRange;
  params: Record<string, string>;
  selected: GroupKey | null;
}) {
  const snapshot = poller.latest();
  const { sinceMs, untilMs } = windowOf(range);
  const view = await historyView(
    poller.history,
    { sinceMs, untilMs, stepMs: stepFor(untilMs - sinceMs, 60, poller.intervalMs) },
    null,
  );
  const series = new Map<string, GroupSeriesPoint[]>(view.groups.map((g) => [groupKeyId(g), g.points]));
  const pending = snapshot.brokers.some((b) => b.reachable === null);
  return (
    <section className="panel" aria-labelledby="groups-title">
      <h2 id="groups-title">Consumer groups</h2>
      {snapshot.groups.length === 0 ? (
        <p className="muted">
          {pending
            ? 'Reading the brokers for the first time…'
            : 'No consumer group, queue or stream consumer found on the configured brokers (or none matches SIGNALBOX_LAG_INCLUDE).'}
        </p>
      ) : (
        <LagTable
          groups={snapshot.groups}
          series={series}
          params={params}
          range={range.from}
          selected={selected}
        />
      )}
    </section>
  );
}

async function DetailPanel({
  poller,
  range,
  selected,
  closeHref,
}: {
  poller: LagPoller;
  range: TimeRange;
  selected: GroupKey;
  closeHref: string;
}) {
  const group = poller.latest().groups.find((g) => groupKeyId(g) === groupKeyId(selected));
  if (!group) {
    return (
      <section className="panel" role="alert" aria-labelledby="group-missing">
        <h2 id="group-missing">
          No {selected.system} group {selected.group} on {selected.destination}
        </h2>
        <p>
          It is not on the configured brokers right now (deleted, or not read yet).{' '}
          <Link href={closeHref}>Show all groups</Link>
        </p>
      </section>
    );
  }
  const { sinceMs, untilMs } = windowOf(range);
  const history = await historyView(
    poller.history,
    { sinceMs, untilMs, stepMs: stepFor(untilMs - sinceMs, 240, poller.intervalMs) },
    selected,
  );
  return (
    <section className="panel" aria-labelledby="group-title">
      <GroupDetail group={group} history={history} range={range.from} closeHref={closeHref} />
    </section>
  );
}

export default async function LagPage({ searchParams }: { searchParams: SearchParams }) {
  const page = await openRangePage('Lag', '/lag', searchParams);
  if ('refusal' in page) return page.refusal;
  const { params, range } = page;
  let selected: GroupKey | null;
  try {
    selected = parseGroupKey(params);
  } catch (error) {
    if (error instanceof LagQueryError)
      return <Problem title="Lag: bad group in the address" message={error.message} />;
    throw error;
  }
  let poller: LagPoller;
  try {
    poller = await getLagPoller();
  } catch (error) {
    if (error instanceof ConfigError)
      return <Problem title="Lag: the broker settings are invalid" message={error.message} />;
    throw error;
  }
  const { brokers } = poller.latest();
  const withoutGroup = new URLSearchParams(params);
  for (const key of ['system', 'destination', 'group']) withoutGroup.delete(key);
  const closeHref = `/lag${withoutGroup.size > 0 ? `?${withoutGroup.toString()}` : ''}`;

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Lag</h1>
          <p className="muted">
            Who is behind, by how much, and whether it is getting worse — on every broker.
          </p>
        </div>
      </div>
      {brokers.length === 0 ? (
        <EmptyLag />
      ) : (
        <>
          <section className="panel" aria-labelledby="brokers-title">
            <h2 id="brokers-title">Brokers</h2>
            <BrokerList brokers={brokers} />
          </section>
          {selected ? (
            <Suspense
              key={groupKeyId(selected)}
              fallback={<div className="panel skeleton" style={{ height: 320 }} />}
            >
              <DetailPanel poller={poller} range={range} selected={selected} closeHref={closeHref} />
            </Suspense>
          ) : null}
          <Suspense fallback={<div className="panel skeleton" style={{ height: 160 }} />}>
            <GroupsPanel poller={poller} range={range} params={params} selected={selected} />
          </Suspense>
        </>
      )}
    </>
  );
}
