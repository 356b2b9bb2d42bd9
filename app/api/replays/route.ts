import { dlqResource, authorizeRequest } from '@/lib/auth/guard';
import { allows } from '@/lib/auth/principal';
import { errorResponse } from '@/lib/http/respond';
import { getDlqServices } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/replays → `{ jobs: [...], audit: [...] }`: the latest replay jobs and the audit log
 * (reader role), only those of queues the caller may read.
 */
export async function GET(request: Request): Promise<Response> {
  try {
    const principal = await authorizeRequest(request, 'read');
    const { service } = await getDlqServices();
    const { jobs, audit } = await service.history({ jobs: 50, audit: 200 });
    const readable = (queueId: string) => queueId === '' || allows(principal, 'read', dlqResource(queueId));
    return Response.json({
      jobs: jobs.filter((j) => readable(j.queueId)),
      audit: audit.filter((e) => readable(e.queueId)),
    });
  } catch (error) {
    return errorResponse(error, 'listing replays');
  }
}
