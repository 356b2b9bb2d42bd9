import { getDlqServices } from '@/lib/dlq';
import { dlqErrorResponse } from '@/lib/dlq/http';

export const dynamic = 'force-dynamic';

/** GET /api/replays → `{ jobs: [...], audit: [...] }`: the latest replay jobs and the audit log. */
export async function GET(): Promise<Response> {
  try {
    const { service } = await getDlqServices();
    const [jobs, audit] = await Promise.all([service.store.listJobs(50), service.store.auditLog(200)]);
    return Response.json({ jobs, audit });
  } catch (error) {
    return dlqErrorResponse(error, 'listing replays');
  }
}
