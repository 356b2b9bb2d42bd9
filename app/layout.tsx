import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { AccessBanner } from '@/components/layout/access-banner';
import { SiteHeader } from '@/components/layout/site-header';
import { ThemeScript } from '@/components/theme/theme-script';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Signalbox', template: '%s · Signalbox' },
  description: 'Where every message went, how long it waited, and what failed.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // ThemeScript sets data-theme before hydration; React must not complain about it.
    <html lang="en" suppressHydrationWarning>
      <head>
        <ThemeScript />
      </head>
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <AccessBanner />
        <SiteHeader />
        <main id="main" className="page">
          {children}
        </main>
      </body>
    </html>
  );
}
