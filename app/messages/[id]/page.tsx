import { Forbidden } from '@/components/layout/forbidden';
import { redactJourney } from '@/lib/analytics/journey-redaction';
import { pageAccess } from '@/lib/auth/page-access';
import { allows } from '@/lib/auth/principal';
import type { Metadata } from 'next';
import Link from 'next/link';
import { JourneyView } from '@/components/journey/journey-view';
import { type Journey, type JourneyQuery, JourneyNotFoundError, getJourney } from '@/lib/analytics/journeys';
import { config, getStore, masker } from '@/lib/runtime';
import { parseTraceLinkTemplates } from '@/lib/ui/trace-links';
import { type SearchParams, firstValues } from '@/lib/ui/search-params';

export const metadata: Metadata = { title: 'Journey' };
export const dynamic = 'force-dynamic';

const TRACE_ID = /^[0-9a-fA-F]{32}$/;

/**
 * The id in the URL may be a trace id, a message id or a conversation id;
 * `?by=` forces one. Otherwise a 32-hex id is a trace, anything else is tried
 * as a message id, then as a conversation id.
 */
async function findJourney(id: string, by: string | undefined): Promise<Journey | null> {
  const attempts: JourneyQuery[] =
    by === 'trace'
      ? [{ traceId: id }]
      : by === 'message'
        ? [{ messageId: id }]
        : by === 'conversation'
          ? [{ conversationId: id }]
          : TRACE_ID.test(id)
            ? [{ traceId: id }, { messageId: id }]
            : [{ messageId: id }, { conversationId: id }];
  const store = await getStore();
  for (const query of attempts) {
    try {
      return await getJourney(store, query, masker());
    } catch (error) {
      if (!(error instanceof JourneyNotFoundError)) throw error;
    }
  }
  return null;
}

export default async function JourneyPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: SearchParams;
}) {
  const id = decodeURIComponent((await params).id);
  const { principal, denied } = await pageAccess(`/messages/${encodeURIComponent(id)}`);
  if (denied) return <Forbidden title="Journey" reason={denied} />;
  const query = await firstValues(searchParams);
  const found = await findJourney(id, query.by);
  // Attributes and status messages only where this person may read payloads (none for a viewer).
  const journey = found && redactJourney(found, (resource) => allows(principal, 'read', resource));
  return (
    <>
      <div className="page-head">
        <div>
          <h1>Journey</h1>
          <p className="muted mono">{id}</p>
        </div>
        <Link className="button" href="/search">
          Search another id
        </Link>
      </div>
      {journey ? (
        <JourneyView journey={journey} links={parseTraceLinkTemplates(config().ui.traceLinks)} />
      ) : (
        <section className="panel empty" role="status">
          <h2>No message or trace with this id</h2>
          <p>
            Nothing stored matches <span className="mono">{id}</span> as a trace id, message id or
            conversation id. Spans may have been sampled out or removed by retention; end-to-end latency on
            the Latency page still counts every message.
          </p>
        </section>
      )}
    </>
  );
}
