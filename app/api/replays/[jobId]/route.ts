import { getDlqServices } from '@/lib/runtime';
import { operatorOf } from '@/lib/dlq/http';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/**
 * GET /api/replays/{jobId} → the job with `status`, `expected`, `counts` { replayed, poison, skipped }
 * and `items` (outcome per message: replayId, status, target, detail).
 */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ jobId: string }> },
): Promise<Response> {
  try {
    const { jobId } = await params;
    const { service } = await getDlqServices();
    return Response.json(await service.job(jobId));
  } catch (error) {
    return errorResponse(error, 'reading the replay job');
  }
}

/** DELETE /api/replays/{jobId} (operator token): cancels a queued or running job (what was replayed stays replayed). */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ jobId: string }> },
): Promise<Response> {
  try {
    const actor = operatorOf(request);
    const { jobId } = await params;
    const { service } = await getDlqServices();
    return Response.json(await service.cancel(jobId, actor));
  } catch (error) {
    return errorResponse(error, 'cancelling the replay');
  }
}
