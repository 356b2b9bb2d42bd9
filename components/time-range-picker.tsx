'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { DEFAULT_FROM } from '@/lib/analytics/time-range';

const CHOICES = ['5m', '15m', '1h', '6h', '24h', '7d'] as const;

/**
 * The global time range: links that rewrite `from` (and drop `to`) in the
 * current URL, keeping every other filter — shareable, and the back button
 * works. A custom ISO range in the URL shows as such.
 */
export function TimeRangePicker() {
  const pathname = usePathname();
  const params = useSearchParams();
  const current = params.get('from') ?? DEFAULT_FROM;
  const custom = !CHOICES.includes(current as (typeof CHOICES)[number]) || params.has('to');
  return (
    <nav className="segmented" aria-label="Time range">
      {CHOICES.map((choice) => {
        const query = new URLSearchParams(params.toString());
        query.set('from', choice);
        query.delete('to');
        const active = !custom && choice === current;
        return (
          <Link
            key={choice}
            href={`${pathname}?${query.toString()}`}
            aria-current={active ? 'true' : undefined}
            className={active ? 'active' : undefined}
            scroll={false}
          >
            {choice}
          </Link>
        );
      })}
      {custom ? (
        <span
          className="active custom"
          aria-current="true"
          title={`${current} → ${params.get('to') ?? 'now'}`}
        >
          custom
        </span>
      ) : null}
    </nav>
  );
}
