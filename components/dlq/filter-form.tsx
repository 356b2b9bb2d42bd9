import Link from 'next/link';
import { dlqHref } from './links';

/** Filters as a plain GET form: the result is a URL (linkable, back button works). */
export function FilterForm({ params }: { params: Record<string, string> }) {
  const field = (name: string, label: string, placeholder: string) => (
    <label className="dlq-field">
      <span>{label}</span>
      <input name={name} defaultValue={params[name] ?? ''} placeholder={placeholder} />
    </label>
  );
  return (
    <form className="dlq-filters" method="get" action="/dlq" aria-label="Filter dead letters">
      <input type="hidden" name="queue" value={params.queue ?? ''} />
      {params.fingerprint ? <input type="hidden" name="fingerprint" value={params.fingerprint} /> : null}
      {field('error', 'Error', 'type or message')}
      {field('destination', 'Original destination', 'orders')}
      {field('header', 'Header', 'name or name=value')}
      {field('text', 'Body contains', 'text')}
      {field('from', 'Failed from', '2026-11-21T00:00:00Z')}
      {field('to', 'Failed before', 'ISO time')}
      <button type="submit" className="button">
        Filter
      </button>
      <Link href={dlqHref({}, { queue: params.queue ?? null })}>Clear</Link>
    </form>
  );
}
