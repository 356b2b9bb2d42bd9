import { getDlqServices } from '@/lib/runtime';
import { filterFromParams } from '@/lib/dlq/filter';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/**
 * GET /api/dlq/{id}/messages?destination=&error=&header=&text=&fingerprint=&from=&to= →
 * `{ messages: [{ id, headers, body, failure, fingerprint, ... }], groups: [{ fingerprint, count,
 * firstSeen, lastSeen, ... }], truncated, read }`. On RabbitMQ, reading takes the messages and requeues
 * them (they are marked redelivered); see lib/brokers/rabbitmq/dlq.ts.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const { id } = await params;
    const filter = filterFromParams(new URL(request.url).searchParams);
    const { service } = await getDlqServices();
    return Response.json(await service.messages(decodeURIComponent(id), filter));
  } catch (error) {
    return errorResponse(error, 'reading the dead-letter queue');
  }
}
