import Link from 'next/link';
import { getDlqServices } from '@/lib/runtime';
import { formatCount } from '@/lib/format';

/**
 * Dead-letter queues holding messages, fullest first. Reads the brokers, so
 * Overview renders it inside its own Suspense boundary: a slow broker delays
 * this panel only.
 */
export async function DeadLetterCounts() {
  let result;
  try {
    result = await (await getDlqServices()).service.queues();
  } catch (error) {
    return (
      <p className="muted">
        Dead-letter queues could not be listed: {error instanceof Error ? error.message : String(error)}
      </p>
    );
  }
  // messages is null where a broker cannot count without consuming.
  const queues = result.queues
    .flatMap((q) => (q.messages !== null && q.messages > 0 ? [{ ...q, messages: q.messages }] : []))
    .sort((a, b) => b.messages - a.messages)
    .slice(0, 5);
  if (queues.length === 0) return <p className="muted">No dead-letter queue holds messages.</p>;
  return (
    <ol className="ranked">
      {queues.map((q) => (
        <li key={q.id}>
          <Link href={`/dlq?${new URLSearchParams({ queue: q.id }).toString()}`}>{q.name}</Link>
          <span className="ranked-figure">{formatCount(q.messages)} messages</span>
        </li>
      ))}
    </ol>
  );
}
