import type { JourneyAttempt, JourneyDelivery, JourneyHop } from '@/lib/analytics/journey-model';
import { formatMs } from '@/lib/format';
import { HopNote, HopOrigin } from './hop-origin';
import type { timelineScale } from './timeline-scale';

type Scale = ReturnType<typeof timelineScale>;

const OUTCOME_LABEL: Record<JourneyDelivery['outcome'], string> = {
  processed: 'processed',
  received: 'received',
  failed: 'failed',
  'dead-lettered': 'dead-lettered',
};

function Bar({
  scale,
  at,
  ms,
  kind,
  title,
}: {
  scale: Scale;
  at: string;
  ms: number;
  kind: 'send' | 'wait' | 'process' | 'error';
  title: string;
}) {
  return (
    <span
      className={`bar bar-${kind}`}
      style={{ left: `${scale.left(at)}%`, width: `${scale.width(ms)}%` }}
      title={title}
    />
  );
}

function AttemptBars({
  attempt,
  scale,
  verb,
}: {
  attempt: JourneyAttempt;
  scale: Scale;
  verb: 'processed' | 'received';
}) {
  const processStart = Date.parse(attempt.startedAt);
  const waitStart =
    attempt.queueWaitMs === null ? null : new Date(processStart - attempt.queueWaitMs).toISOString();
  const failed = attempt.status === 'error';
  return (
    <>
      {waitStart && attempt.queueWaitMs !== null ? (
        <Bar
          scale={scale}
          at={waitStart}
          ms={attempt.queueWaitMs}
          kind="wait"
          title={`waited ${formatMs(attempt.queueWaitMs)}`}
        />
      ) : null}
      <Bar
        scale={scale}
        at={attempt.startedAt}
        ms={attempt.processingMs}
        kind={failed ? 'error' : 'process'}
        title={`${verb} in ${formatMs(attempt.processingMs)}${failed ? ` — ${attempt.errorType ?? 'error'}` : ''}`}
      />
    </>
  );
}

function DeliveryLine({ delivery, scale }: { delivery: JourneyDelivery; scale: Scale }) {
  const last = delivery.attempts[delivery.attempts.length - 1];
  return (
    <div className="timeline-row">
      <div className="timeline-label">
        <span className="arrow-in">↳</span> {delivery.service}
        {delivery.consumerGroup ? <span className="muted"> ({delivery.consumerGroup})</span> : null}
        <span className={`outcome outcome-${delivery.outcome}`}>{OUTCOME_LABEL[delivery.outcome]}</span>
        {delivery.retries > 0 ? <span className="muted"> · {delivery.retries} retries</span> : null}
        {delivery.redelivered ? <span className="muted"> · redelivered</span> : null}
      </div>
      <div className="timeline-track">
        {delivery.attempts.map((attempt) => (
          <AttemptBars
            key={attempt.spanId}
            attempt={attempt}
            scale={scale}
            verb={delivery.observedBy === 'receive' ? 'received' : 'processed'}
          />
        ))}
      </div>
      <div className="timeline-figures">
        {last ? (
          <>
            wait {formatMs(last.queueWaitMs)} · {delivery.observedBy} {formatMs(last.processingMs)}
            {last.settle ? <span className="muted"> · {last.settle.operation}</span> : null}
            {last.status === 'error' && last.statusMessage ? (
              <div className="error-text">{last.statusMessage}</div>
            ) : null}
          </>
        ) : null}
      </div>
    </div>
  );
}

/** One hop: the send into a destination, then each consumer's deliveries. */
export function HopRow({ hop, scale }: { hop: JourneyHop; scale: Scale }) {
  return (
    <li className="hop">
      <div className="timeline-row">
        <div className="timeline-label">
          <HopOrigin hop={hop} />
        </div>
        <div className="timeline-track">
          {hop.send ? (
            <Bar
              scale={scale}
              at={hop.send.sentAt}
              ms={hop.send.durationMs}
              kind={hop.send.status === 'error' ? 'error' : 'send'}
              title={`send ${formatMs(hop.send.durationMs)}`}
            />
          ) : null}
        </div>
        <div className="timeline-figures">
          {hop.send ? `send ${formatMs(hop.send.durationMs)}` : null}
          {hop.messageId ? <div className="mono muted">id {hop.messageId}</div> : null}
          <HopNote hop={hop} />
        </div>
      </div>
      {hop.deliveries.length === 0 && hop.deadLetter ? null : hop.deliveries.length === 0 ? (
        <div className="timeline-row">
          <div className="timeline-label muted">↳ no recorded delivery</div>
        </div>
      ) : (
        hop.deliveries.map((delivery) => (
          <DeliveryLine
            key={`${delivery.service}:${delivery.consumerGroup ?? ''}`}
            delivery={delivery}
            scale={scale}
          />
        ))
      )}
    </li>
  );
}
