import Link from 'next/link';

const CHOICES = ['5m', '15m', '1h', '6h', '24h', '7d'] as const;

/**
 * Time range as links that rewrite `from` in the URL: shareable, and the back
 * button works. Other query parameters are kept.
 */
export function TimeRangePicker({
  pathname,
  params,
  current,
}: {
  pathname: string;
  params: Record<string, string>;
  current: string;
}) {
  return (
    <nav className="segmented" aria-label="Time range">
      {CHOICES.map((choice) => {
        const query = new URLSearchParams({ ...params, from: choice });
        query.delete('to');
        return (
          <Link
            key={choice}
            href={`${pathname}?${query.toString()}`}
            aria-current={choice === current ? 'true' : undefined}
            className={choice === current ? 'active' : undefined}
          >
            Last {choice}
          </Link>
        );
      })}
    </nav>
  );
}
