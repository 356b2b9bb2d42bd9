import Link from 'next/link';
import type { DlqMessageView } from '@/lib/dlq/message-view';
import { MessageActions } from './message-actions';
import { MaskedText } from './masked-text';
import { PayloadView } from './payload-view';
import { DataTable } from '@/components/data-table';

/** One message: parsed failure, failure history, raw headers, payload, and what can be done with it. */
export function MessageDetail({
  queueId,
  system,
  message,
  canChange,
}: {
  queueId: string;
  system: string;
  message: DlqMessageView;
  /** Whether the viewer may replay or delete (the operator role on this queue): else no buttons. */
  canChange: boolean;
}) {
  const f = message.failure;
  const rows: [string, string | number | null][] = [
    ['Reason', f.reason],
    ['Error type', f.errorType],
    ['Error message', f.errorMessage],
    ['Failed on', [f.source.system, f.source.destination].filter(Boolean).join(' ') || null],
    [
      'Partition / offset',
      f.source.partition !== null || f.source.offset !== null
        ? `${f.source.partition ?? '—'} / ${f.source.offset ?? '—'}`
        : null,
    ],
    ['Consumer', f.source.consumerGroup],
    ['Attempts', f.attempts],
    ['First failed', f.firstFailedAt],
    ['Last failed', f.lastFailedAt],
    ['Replayed before', f.replay ? `${f.replay.count} time(s), last replay id ${f.replay.id}` : 'never'],
    ['Read from', f.dialect],
  ];
  return (
    <section className="panel" aria-labelledby="dlq-message-title">
      <h2 id="dlq-message-title">
        Message <span className="mono">{message.id}</span>
      </h2>
      {canChange ? (
        <MessageActions
          queueId={queueId}
          messageId={message.id}
          // A masked preview is not the message: editing it would resend the markers, so it is not offered.
          body={
            message.body.encoding === 'base64' || message.body.truncated || message.body.masked
              ? null
              : message.body.preview
          }
          canDelete={system !== 'kafka'}
        />
      ) : null}
      {message.body.masked ? (
        <p className="muted" role="note">
          Some values are masked, so the payload cannot be edited here; a replay sends the original.
        </p>
      ) : null}
      {message.notReplayable ? <p role="note">{message.notReplayable}</p> : null}
      <div className="grid-3 dlq-detail">
        <dl className="dlq-facts">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v ?? '—'}</dd>
            </div>
          ))}
          <div>
            <dt>Trace</dt>
            <dd>
              {f.traceId ? (
                <Link href={`/messages/${f.traceId}`}>journey of {f.traceId.slice(0, 12)}…</Link>
              ) : (
                'none in the headers'
              )}
            </dd>
          </div>
        </dl>
        <div>
          <PayloadView body={message.body} />
          {f.stackTrace ? (
            <details>
              <summary>Stack trace</summary>
              <pre tabIndex={0}>{f.stackTrace}</pre>
            </details>
          ) : null}
          {Object.keys(f.details).length > 0 ? (
            <details>
              <summary>Failure history and broker details</summary>
              <pre tabIndex={0}>{JSON.stringify(f.details, null, 2)}</pre>
            </details>
          ) : null}
        </div>
      </div>
      <DataTable caption="Raw headers" columns={['Name', 'Value']}>
        {Object.entries(message.headers).map(([name, value]) => (
          <tr key={name}>
            <td className="mono">{name}</td>
            <td className="mono dlq-wrap">
              <MaskedText text={Array.isArray(value) ? value.join(' | ') : value} />
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
