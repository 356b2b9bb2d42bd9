import { getDlqServices } from '@/lib/runtime';
import { jsonBody, operatorOf } from '@/lib/dlq/http';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** POST /api/dlq/{id}/purge (operator token) with `{ "confirm": "<queue name>" }` → `{ purged }`; audited. */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const actor = await operatorOf(request);
    const { id } = await params;
    const body = (await jsonBody(request)) as { confirm?: unknown } | null;
    const { service } = await getDlqServices();
    return Response.json(await service.purge(decodeURIComponent(id), actor, body?.confirm));
  } catch (error) {
    return errorResponse(error, 'purging the queue');
  }
}
