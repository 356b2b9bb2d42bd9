import Link from 'next/link';
import type { FailureView } from '@/lib/dlq/message-view';

/** The error of a dead letter: its type (or reason) in mono, then the message. */
export function ErrorCell({ failure }: { failure: FailureView }) {
  return (
    <td className="dlq-wrap">
      <span className="mono">{failure.errorType ?? failure.reason ?? '?'}</span> {failure.errorMessage ?? ''}
    </td>
  );
}

/** A link to the failed message's journey, when its trace is known. */
export function JourneyCell({ failure }: { failure: FailureView }) {
  return <td>{failure.traceId ? <Link href={`/messages/${failure.traceId}`}>journey</Link> : '—'}</td>;
}
