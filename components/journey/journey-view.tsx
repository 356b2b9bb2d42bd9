import type { Journey } from '@/lib/analytics/journey-model';
import { formatMs } from '@/lib/format';
import { type TraceLinkTemplate, traceLink } from '@/lib/ui/trace-links';
import { HopRow } from './hop-row';
import { timelineScale } from './timeline-scale';

function Legend() {
  return (
    <p className="legend" aria-label="Legend">
      <span className="bar-key bar-send" /> send <span className="bar-key bar-wait" /> waiting in the broker{' '}
      <span className="bar-key bar-process" /> processing <span className="bar-key bar-error" /> failed
    </p>
  );
}

/** A message hop by hop on one timeline, with every span's attributes on demand. */
export function JourneyView({ journey, links }: { journey: Journey; links: TraceLinkTemplate[] }) {
  const scale = timelineScale(journey);
  return (
    <>
      <dl className="figures overview-figures">
        <div>
          <dt>Total</dt>
          <dd>{formatMs(journey.totalMs)}</dd>
        </div>
        <div>
          <dt>Hops</dt>
          <dd>{journey.hops.length}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{new Date(journey.startedAt).toLocaleTimeString()}</dd>
        </div>
        <div>
          <dt>Traces</dt>
          <dd>{journey.traceIds.length}</dd>
        </div>
      </dl>
      {journey.truncated ? (
        <p className="notice">This journey is large; only its first spans are shown.</p>
      ) : null}
      <section className="panel" aria-labelledby="timeline-title">
        <h2 id="timeline-title">Timeline</h2>
        <Legend />
        <ol className="timeline">
          {journey.hops.map((hop) => (
            <HopRow key={hop.index} hop={hop} scale={scale} />
          ))}
        </ol>
      </section>
      <section className="panel" aria-labelledby="traces-title">
        <h2 id="traces-title">Traces and spans</h2>
        <ul className="trace-list">
          {journey.traceIds.map((traceId) => (
            <li key={traceId}>
              <span className="mono">{traceId}</span>
              {links.map((template) => (
                <a key={template.name} href={traceLink(template, traceId)} target="_blank" rel="noreferrer">
                  {' '}
                  Open in {template.name}
                </a>
              ))}
            </li>
          ))}
        </ul>
        {journey.spans.map((span) => (
          <details key={span.spanId} className="span-details">
            <summary>
              {span.service} · {span.name} · {formatMs(span.durationMs)}
              {span.status === 'error' ? <span className="outcome outcome-failed">error</span> : null}
            </summary>
            <pre>
              {JSON.stringify({ traceId: span.traceId, spanId: span.spanId, ...span.attributes }, null, 2)}
            </pre>
          </details>
        ))}
      </section>
    </>
  );
}
