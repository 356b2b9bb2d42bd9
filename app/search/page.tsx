import { Forbidden } from '@/components/layout/forbidden';
import { pageAccess } from '@/lib/auth/page-access';
import type { Metadata } from 'next';
import Link from 'next/link';
import { redirect } from 'next/navigation';
import { searchId } from '@/lib/analytics/journeys';
import { getStore } from '@/lib/runtime';
import { type SearchParams, firstValues } from '@/lib/ui/search-params';

export const metadata: Metadata = { title: 'Search' };
export const dynamic = 'force-dynamic';

const BY = { trace: 'trace', message: 'message', conversation: 'conversation' } as const;

export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  const { denied } = await pageAccess('/search');
  if (denied) return <Forbidden title="Search" reason={denied} />;
  const { q = '' } = await firstValues(searchParams);
  const matches = q.trim() ? await searchId(await getStore(), q) : [];
  // One unambiguous match: go straight to its journey.
  if (matches.length === 1)
    redirect(`/messages/${encodeURIComponent(matches[0]!.id)}?by=${BY[matches[0]!.kind]}`);

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Search</h1>
          <p className="muted">Find a message by trace id, message id or conversation id.</p>
        </div>
      </div>
      <form className="panel search-form" action="/search" role="search">
        <label htmlFor="q">Trace, message or conversation id</label>
        <div className="search-row">
          <input
            id="q"
            name="q"
            type="search"
            defaultValue={q}
            placeholder="e.g. 4bf92f3577b34da6a3ce929d0e0e4736"
            autoFocus
          />
          <button type="submit" className="button primary">
            Search
          </button>
        </div>
      </form>
      {q.trim() && matches.length === 0 ? (
        <section className="panel empty" role="status">
          <h2>Nothing matches “{q}”</h2>
          <p className="muted">
            Ids are matched exactly. Spans may have been sampled out or removed by retention.
          </p>
        </section>
      ) : null}
      {matches.length > 1 ? (
        <section className="panel" aria-labelledby="matches-title">
          <h2 id="matches-title">{matches.length} kinds of match</h2>
          <ul className="ranked">
            {matches.map((m) => (
              <li key={m.kind}>
                <Link href={`/messages/${encodeURIComponent(m.id)}?by=${BY[m.kind]}`}>
                  {m.kind} id · {m.traceIds.length} trace(s) · {m.services.join(', ')}
                </Link>
                <span className="ranked-figure">{new Date(m.firstSeen).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
