import { parseQuery } from '@/lib/http/parse';
import { dlqMessagesQuery } from '@/lib/http/schemas/dlq';
import { queueRoute } from '@/lib/dlq/queue-route';

export const dynamic = 'force-dynamic';

/**
 * GET /api/dlq/{id}/messages?destination=&error=&header=&text=&fingerprint=&from=&to= →
 * `{ messages: [{ id, headers, body, failure, fingerprint, ... }], groups: [{ fingerprint, count,
 * firstSeen, lastSeen, ... }], truncated, read }`. On RabbitMQ, reading takes the messages and requeues
 * them (they are marked redelivered); see lib/dlq/brokers/rabbitmq.ts.
 */
export const GET = queueRoute('read', 'reading the dead-letter queue', async ({ request, id, dlq }) => {
  const filter = parseQuery(request, dlqMessagesQuery);
  const { service } = await dlq();
  return Response.json(await service.messages(id, filter));
});
