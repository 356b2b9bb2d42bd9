import { getDlqServices } from '@/lib/runtime';
import { actorOf } from '@/lib/auth/principal';
import { authorizeRequest, dlqResource } from '@/lib/auth/guard';
import { parseBody } from '@/lib/http/parse';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';
import { dlqPurgeBody } from '@/lib/http/schemas/dlq';

export const dynamic = 'force-dynamic';

/** POST /api/dlq/{id}/purge (operator token) with `{ "confirm": "<queue name>" }` → `{ purged }`; audited. */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const id = decodeSegment((await params).id, 'id');
    const actor = actorOf(await authorizeRequest(request, 'change', dlqResource(id)));
    const { confirm } = await parseBody(request, dlqPurgeBody);
    const { service } = await getDlqServices();
    return Response.json(await service.purge(id, actor, confirm));
  } catch (error) {
    return errorResponse(error, 'purging the queue');
  }
}
