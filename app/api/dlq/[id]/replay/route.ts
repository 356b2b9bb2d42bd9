import { getDlqServices } from '@/lib/runtime';
import { operatorOf } from '@/lib/dlq/http';
import { parseBody } from '@/lib/http/parse';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';
import { dlqReplayBody } from '@/lib/http/schemas/dlq';

export const dynamic = 'force-dynamic';

/**
 * POST /api/dlq/{id}/replay (operator token) with `{ messageIds | filter | all, target?, dryRun?,
 * ratePerSecond?, editedBody? }`. A dry run answers 200 with `{ dryRun: true, messages, targets,
 * poison, skipped, headerDiff }` and changes nothing; otherwise 202 with the job (poll
 * GET /api/replays/{jobId}).
 */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const actor = operatorOf(request);
    const id = decodeSegment((await params).id, 'id');
    const body = await parseBody(request, dlqReplayBody);
    const { service } = await getDlqServices();
    const result = await service.replay(id, body, actor);
    return Response.json(result, { status: 'dryRun' in result ? 200 : 202 });
  } catch (error) {
    return errorResponse(error, 'starting the replay');
  }
}
