import type { JourneyHop } from '@/lib/analytics/journey-model';

/**
 * Who put the message into this hop's destination, and why: a service's send, a dead-lettering (by a
 * consumer or by the broker itself), or an operator's replay from a DLQ. Hops are numbered (#n) so
 * "after #0" and "copy of #1" can point at them.
 */
export function HopOrigin({ hop }: { hop: JourneyHop }) {
  const by = hop.send?.service ?? (hop.deadLetter ? 'broker' : 'uninstrumented producer');
  return (
    <>
      <span className="muted">#{hop.index}</span> <strong>{by}</strong> → {hop.destination}{' '}
      <span className="muted">({hop.system})</span>
      {hop.deadLetter ? (
        <span className="outcome outcome-dead-lettered">
          dead-letter queue{hop.causedBy !== null ? ` · after #${hop.causedBy}` : ''}
        </span>
      ) : null}
      {hop.replay ? (
        <span className="outcome outcome-replay">
          replay{hop.replay.of !== null ? ` · copy of #${hop.replay.of}` : ''}
        </span>
      ) : hop.replayId ? (
        <span className="outcome outcome-replay">replay {hop.replayId}</span>
      ) : null}
    </>
  );
}

/**
 * The replay's DLQ, operator and job, or how a broker's dead-lettering is known (no span records it:
 * the replay out of that DLQ shows it happened); null for other hops.
 */
export function HopNote({ hop }: { hop: JourneyHop }) {
  if (hop.replay) {
    return (
      <div className="muted">
        {hop.replay.dlq ? `from ${hop.replay.dlq} ` : ''}
        {hop.replay.actor ? `by ${hop.replay.actor}` : ''}
        {hop.replay.jobId ? (
          <>
            {' · job '}
            <a href={`/api/replays/${hop.replay.jobId}`}>{hop.replay.jobId.slice(0, 8)}</a>
          </>
        ) : null}
      </div>
    );
  }
  if (hop.deadLetter && !hop.send)
    return <div className="muted">moved by the broker (known from the replay)</div>;
  return null;
}
