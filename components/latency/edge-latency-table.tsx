import Link from 'next/link';
import { latencyOf } from '@/lib/analytics/flows';
import type { EdgeLatency } from '@/lib/analytics/latency';
import { LatencyCells, LatencyHeaders } from './latency-columns';
import { DataTable } from '@/components/data-table';

export function EdgeLatencyTable({
  edges,
  params,
  comparing,
}: {
  edges: EdgeLatency[];
  params: Record<string, string>;
  comparing: boolean;
}) {
  if (edges.length === 0) {
    return (
      <p className="muted">
        No edges in this range: nothing was sent or consumed through a broker that Signalbox heard of. Try a
        wider range, or see the Flows page for how to send telemetry.
      </p>
    );
  }
  const range = Object.fromEntries(Object.entries(params).filter(([k]) => k === 'from' || k === 'to'));
  return (
    <DataTable
      caption={
        <>
          Per edge: publish = the send; delivery = send → start of processing, or of the receive for consumers
          that report only receive spans (one latency per poll, so fewer than the messages).
        </>
      }
      columns={['Edge', 'Latency of', <LatencyHeaders comparing={comparing} />]}
    >
      {edges.map((e) => (
        <tr key={e.edgeId}>
          <td>
            <Link href={`/flows?${new URLSearchParams({ ...range, edge: e.edgeId }).toString()}`}>
              {e.sourceLabel} → {e.targetLabel}
            </Link>
            {e.consumerGroup ? <span className="muted"> ({e.consumerGroup})</span> : null}
          </td>
          <td className="muted">{latencyOf(e)}</td>
          <LatencyCells figures={e} comparing={comparing} />
        </tr>
      ))}
    </DataTable>
  );
}
