import Link from 'next/link';
import { Suspense } from 'react';
import { LiveRefresh } from '@/components/live-refresh';
import { ThemeToggle } from '@/components/theme/theme-toggle';
import { TimeRangePicker } from '@/components/time-range-picker';
import { NavLinks } from './nav-links';
import { UserMenu } from './user-menu';

export function SiteHeader() {
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        <span aria-hidden="true" className="brand-mark">
          ◆
        </span>
        Signalbox
      </Link>
      <NavLinks />
      <div className="header-tools">
        {/* useSearchParams needs a Suspense boundary */}
        <Suspense fallback={null}>
          <TimeRangePicker />
        </Suspense>
        <LiveRefresh />
        <ThemeToggle />
        <UserMenu />
      </div>
    </header>
  );
}
