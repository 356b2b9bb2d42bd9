import type { Source } from '@/lib/analytics/series-pick';

const TITLE: Record<Source, string> = {
  metrics: 'From histogram metrics: every message counted, exact under trace sampling',
  spans: 'From sampled spans: only the messages whose traces were kept',
};

/** Says where a number came from, as the dashboard promises for every latency figure. */
export function SourceBadge({ source }: { source: Source | null }) {
  if (source === null) return <span className="muted">—</span>;
  return (
    <span className={`badge badge-${source}`} title={TITLE[source]}>
      {source}
    </span>
  );
}
