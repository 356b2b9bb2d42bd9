import { getDlqServices } from '@/lib/runtime';
import { jsonBody, operatorOf } from '@/lib/dlq/http';
import { errorResponse } from '@/lib/http/respond';

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
    const actor = await operatorOf(request);
    const { id } = await params;
    const { service } = await getDlqServices();
    const result = await service.replay(decodeURIComponent(id), await jsonBody(request), actor);
    return Response.json(result, { status: 'dryRun' in result ? 200 : 202 });
  } catch (error) {
    return errorResponse(error, 'starting the replay');
  }
}
