import { getDlqServices } from '@/lib/runtime';
import { intParam } from '@/lib/http/query';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/**
 * GET /api/dlq/{id}/archive?gone=1&limit=200 → `{ enabled, intervalSeconds, counts: { archived, gone },
 * lastPass, messages: [{ message, firstSeenMs, lastSeenMs, goneAtMs }] }`: what archive mode
 * (SIGNALBOX_DLQ_ARCHIVE_INTERVAL_SECONDS) copied from this DLQ, including messages no longer in it.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const id = decodeURIComponent((await params).id);
    const search = new URL(request.url).searchParams;
    const limit = intParam(search, 'limit', { min: 1, max: 10_000, fallback: 200 });
    const { archive, archiver, config } = await getDlqServices();
    const [counts, messages] = await Promise.all([
      archive.counts(id),
      archive.list(id, { goneOnly: search.get('gone') === '1', limit }),
    ]);
    return Response.json({
      enabled: config.archiveIntervalMs > 0,
      intervalSeconds: config.archiveIntervalMs / 1000,
      counts,
      lastPass: archiver.last.get(id) ?? null,
      messages,
    });
  } catch (error) {
    return errorResponse(error, 'reading the DLQ archive');
  }
}
