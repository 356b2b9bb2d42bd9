import { getDlqServices } from '@/lib/runtime';
import { actorOf } from '@/lib/auth/principal';
import { authorizeRequest, dlqResource } from '@/lib/auth/guard';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** DELETE /api/dlq/{id}/messages/{messageId} (operator token): deletes one message; audited. 409 on Kafka. */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ id: string; messageId: string }> },
): Promise<Response> {
  try {
    const segments = await params;
    const id = decodeSegment(segments.id, 'id');
    const messageId = decodeSegment(segments.messageId, 'messageId');
    const actor = actorOf(await authorizeRequest(request, 'change', dlqResource(id)));
    const { service } = await getDlqServices();
    await service.deleteMessage(id, messageId, actor);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, 'deleting the message');
  }
}
