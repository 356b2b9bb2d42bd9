import { authorizeRequest, dlqResource } from '@/lib/auth/guard';
import { getDlqServices } from '@/lib/runtime';
import { parseQuery } from '@/lib/http/parse';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';
import { dlqArchiveQuery } from '@/lib/http/schemas/dlq';

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
    const id = decodeSegment((await params).id, 'id');
    await authorizeRequest(request, 'read', dlqResource(id));
    const { gone, limit } = parseQuery(request, dlqArchiveQuery);
    const { archiver } = await getDlqServices();
    return Response.json(await archiver.view(id, { goneOnly: gone === '1', limit }));
  } catch (error) {
    return errorResponse(error, 'reading the DLQ archive');
  }
}
