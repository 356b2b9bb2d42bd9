import { getDlqServices } from '@/lib/runtime';
import { actorOf, authorize } from '@/lib/auth/principal';
import { authorizeRequest, dlqResource } from '@/lib/auth/guard';
import { parseBody } from '@/lib/http/parse';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';
import { dlqReplayBody } from '@/lib/http/schemas/dlq';

export const dynamic = 'force-dynamic';

/**
 * POST /api/dlq/{id}/replay (operator role on the queue, and on the target when one is chosen) with `{ messageIds | filter | all, target?, dryRun?,
 * ratePerSecond?, editedBody? }`. A dry run answers 200 with `{ dryRun: true, messages, targets,
 * poison, skipped, headerDiff }` and changes nothing; otherwise 202 with the job (poll
 * GET /api/replays/{jobId}).
 */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const id = decodeSegment((await params).id, 'id');
    const principal = await authorizeRequest(request, 'change', dlqResource(id));
    const body = await parseBody(request, dlqReplayBody);
    // A chosen target must be in the operator's reach too (a team limited to payments.* cannot replay into orders).
    if (body.target) authorize(principal, 'change', { ...dlqResource(id), destination: body.target });
    const { service } = await getDlqServices();
    const result = await service.replay(id, body, actorOf(principal));
    return Response.json(result, { status: 'dryRun' in result ? 200 : 202 });
  } catch (error) {
    return errorResponse(error, 'starting the replay');
  }
}
