import { authorizeRequest, dlqResource } from '@/lib/auth/guard';
import { getDlqServices } from '@/lib/runtime';
import { parseQuery } from '@/lib/http/parse';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';
import { dlqMessagesQuery } from '@/lib/http/schemas/dlq';

export const dynamic = 'force-dynamic';

/**
 * GET /api/dlq/{id}/messages?destination=&error=&header=&text=&fingerprint=&from=&to= →
 * `{ messages: [{ id, headers, body, failure, fingerprint, ... }], groups: [{ fingerprint, count,
 * firstSeen, lastSeen, ... }], truncated, read }`. On RabbitMQ, reading takes the messages and requeues
 * them (they are marked redelivered); see lib/dlq/brokers/rabbitmq.ts.
 */
export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const id = decodeSegment((await params).id, 'id');
    await authorizeRequest(request, 'read', dlqResource(id));
    const filter = parseQuery(request, dlqMessagesQuery);
    const { service } = await getDlqServices();
    return Response.json(await service.messages(id, filter));
  } catch (error) {
    return errorResponse(error, 'reading the dead-letter queue');
  }
}
