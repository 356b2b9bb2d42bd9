import Link from 'next/link';
import { StatusBadge } from '@/components/lag/status-badge';
import { formatCount, formatMs } from '@/lib/format';
import { lagHotSpots, lagHref } from '@/lib/lag';
import type { LagSnapshot } from '@/lib/lag/types';

/** Consumer groups that need a look, and brokers that could not be read. */
export function LagHotSpots({ snapshot }: { snapshot: LagSnapshot | null }) {
  if (!snapshot) {
    return (
      <p className="muted">
        Lag needs broker addresses (e.g. SIGNALBOX_KAFKA_BROKERS); the <Link href="/lag">Lag page</Link> says
        how.
      </p>
    );
  }
  const { groups, unreachable } = lagHotSpots(snapshot);
  if (groups.length === 0 && unreachable.length === 0) {
    return <p className="muted">Every consumer group is keeping up.</p>;
  }
  return (
    <ol className="ranked">
      {unreachable.map((broker) => (
        <li key={`${broker.system}:${broker.address}`}>
          <Link href="/lag">
            {broker.system} at {broker.address} is unreachable
          </Link>
          <span className="ranked-figure">down</span>
        </li>
      ))}
      {groups.map((g) => (
        <li key={`${g.system}:${g.destination}:${g.group}`}>
          <Link href={lagHref(g)}>
            {g.group} on {g.destination}
          </Link>
          <span className="ranked-figure">
            {formatCount(g.lagMessages)} behind
            {g.lagSeconds !== null ? ` · ${formatMs(g.lagSeconds * 1000)}` : ''}{' '}
            <StatusBadge status={g.status} reason={g.statusReason} />
          </span>
        </li>
      ))}
    </ol>
  );
}
