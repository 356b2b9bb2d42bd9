import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="panel empty">
      <h1>Nothing here</h1>
      <p>
        This address is not a Signalbox page. Start from the <Link href="/">Overview</Link> or{' '}
        <Link href="/search">search for a message</Link>.
      </p>
    </section>
  );
}
