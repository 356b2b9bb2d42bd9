import Link from 'next/link';

/** A page's answer to a time range it cannot parse: what is wrong and a way out. */
export function BadTimeRange({ title, message, href }: { title: string; message: string; href: string }) {
  return (
    <section className="panel empty" role="alert" aria-labelledby="bad-range-title">
      <h1 id="bad-range-title">{title}</h1>
      <p>{message}</p>
      <p>
        <Link href={href}>Show the last 15 minutes</Link>
      </p>
    </section>
  );
}
