import { authorizeRequest, dlqResource } from '@/lib/auth/guard';
import { actorOf, authorize } from '@/lib/auth/principal';
import { errorResponse } from '@/lib/http/respond';
import { getDlqServices } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/replays/{jobId} (reader role on the job's queue) → the job with `status`, `expected`,
 * `counts` { replayed, poison, skipped } and `items` (outcome per message: replayId, status, target,
 * detail).
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ jobId: string }> },
): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'read');
    const { jobId } = await params;
    const { service } = await getDlqServices();
    const job = await service.job(jobId);
    authorize(principal, 'read', dlqResource(job.queueId));
    return Response.json(job);
  } catch (error) {
    return errorResponse(error, 'reading the replay job');
  }
}

/**
 * DELETE /api/replays/{jobId} (operator role on the job's queue): cancels a queued or running job
 * (what was replayed stays replayed).
 */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ jobId: string }> },
): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'change');
    const { jobId } = await params;
    const { service } = await getDlqServices();
    authorize(principal, 'change', dlqResource((await service.job(jobId)).queueId));
    return Response.json(await service.cancel(jobId, actorOf(principal)));
  } catch (error) {
    return errorResponse(error, 'cancelling the replay');
  }
}
