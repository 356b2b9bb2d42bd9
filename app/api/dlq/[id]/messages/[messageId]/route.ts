import { getDlqServices } from '@/lib/runtime';
import { operatorOf } from '@/lib/dlq/http';
import { decodeSegment } from '@/lib/http/path';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** DELETE /api/dlq/{id}/messages/{messageId} (operator token): deletes one message; audited. 409 on Kafka. */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ id: string; messageId: string }> },
): Promise<Response> {
  try {
    const actor = operatorOf(request);
    const segments = await params;
    const id = decodeSegment(segments.id, 'id');
    const messageId = decodeSegment(segments.messageId, 'messageId');
    const { service } = await getDlqServices();
    await service.deleteMessage(id, messageId, actor);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, 'deleting the message');
  }
}
