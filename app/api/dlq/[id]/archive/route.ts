import { parseQuery } from '@/lib/http/parse';
import { dlqArchiveQuery } from '@/lib/http/schemas/dlq';
import { queueRoute } from '@/lib/dlq/queue-route';

export const dynamic = 'force-dynamic';

/**
 * GET /api/dlq/{id}/archive?gone=1&limit=200 → `{ enabled, intervalSeconds, counts: { archived, gone },
 * lastPass, messages: [{ message, firstSeenMs, lastSeenMs, goneAtMs }] }`: what archive mode
 * (SIGNALBOX_DLQ_ARCHIVE_INTERVAL_SECONDS) copied from this DLQ, including messages no longer in it.
 */
export const GET = queueRoute('read', 'reading the DLQ archive', async ({ request, id, dlq }) => {
  const { gone, limit } = parseQuery(request, dlqArchiveQuery);
  const { archiver } = await dlq();
  return Response.json(await archiver.view(id, { goneOnly: gone === '1', limit }));
});
