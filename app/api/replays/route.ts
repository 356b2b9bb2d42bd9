import { getDlqServices } from '@/lib/runtime';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** GET /api/replays → `{ jobs: [...], audit: [...] }`: the latest replay jobs and the audit log. */
export async function GET(): Promise<Response> {
  try {
    const { service } = await getDlqServices();
    const { jobs, audit } = await service.history({ jobs: 50, audit: 200 });
    return Response.json({ jobs, audit });
  } catch (error) {
    return errorResponse(error, 'listing replays');
  }
}
