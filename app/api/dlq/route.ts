import { authorizeRequest } from '@/lib/auth/guard';
import { getDlqServices } from '@/lib/runtime';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/**
 * GET /api/dlq → `{ queues: [{ id, system, name, messages, source }], brokers: [{ system, address, error }] }`:
 * dead-letter queues found on the configured brokers (by name, or listed in SIGNALBOX_DLQ_QUEUES).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'view');
    const { service } = await getDlqServices();
    return Response.json(await service.queues());
  } catch (error) {
    return errorResponse(error, 'listing dead-letter queues');
  }
}
