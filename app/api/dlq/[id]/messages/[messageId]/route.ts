import { actorOf } from '@/lib/auth/principal';
import { decodeSegment } from '@/lib/http/path';
import { queueRoute } from '@/lib/dlq/queue-route';

export const dynamic = 'force-dynamic';

/** DELETE /api/dlq/{id}/messages/{messageId} (operator role on the queue): deletes one message; audited. 409 on Kafka. */
export const DELETE = queueRoute<{ id: string; messageId: string }>(
  'change',
  'deleting the message',
  async ({ id, segments, principal, dlq }) => {
    const messageId = decodeSegment(segments.messageId, 'messageId');
    const { service } = await dlq();
    await service.deleteMessage(id, messageId, actorOf(principal));
    return new Response(null, { status: 204 });
  },
);
