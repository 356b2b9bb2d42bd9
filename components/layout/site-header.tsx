import Link from 'next/link';

export function SiteHeader() {
  return (
    <header className="site-header">
      <Link href="/" className="brand">
        <span aria-hidden="true" className="brand-mark">
          ◆
        </span>
        Signalbox
      </Link>
      <nav aria-label="Main">
        <Link href="/flows">Flows</Link>
      </nav>
    </header>
  );
}
