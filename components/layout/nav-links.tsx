'use client';

import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { Suspense } from 'react';
import { AlertCount } from './alert-count';

const PAGES = [
  { href: '/', label: 'Overview' },
  { href: '/flows', label: 'Flows' },
  { href: '/latency', label: 'Latency' },
  { href: '/lag', label: 'Lag' },
  { href: '/dlq', label: 'Dead letters' },
  { href: '/anomalies', label: 'Anomalies' },
  { href: '/search', label: 'Search' },
  { href: '/alerts', label: 'Alerts' },
] as const;

function Links() {
  const pathname = usePathname();
  const params = useSearchParams();
  // Carry the time range from page to page; other filters belong to their page.
  const range = new URLSearchParams();
  for (const key of ['from', 'to']) {
    const value = params.get(key);
    if (value) range.set(key, value);
  }
  const suffix = range.size > 0 ? `?${range.toString()}` : '';
  return PAGES.map(({ href, label }) => {
    const active = href === '/' ? pathname === '/' : pathname.startsWith(href);
    return (
      <Link key={href} href={`${href}${suffix}`} aria-current={active ? 'page' : undefined}>
        {label}
        {href === '/alerts' ? <AlertCount /> : null}
      </Link>
    );
  });
}

export function NavLinks() {
  return (
    <nav aria-label="Main" className="main-nav">
      <Suspense fallback={null}>
        <Links />
      </Suspense>
    </nav>
  );
}
