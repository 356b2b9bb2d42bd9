import { getDlqServices } from '@/lib/runtime';
import { operatorOf } from '@/lib/dlq/http';
import { errorResponse } from '@/lib/http/respond';

export const dynamic = 'force-dynamic';

/** DELETE /api/dlq/{id}/messages/{messageId} (operator token): deletes one message; audited. 409 on Kafka. */
export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ id: string; messageId: string }> },
): Promise<Response> {
  try {
    const actor = await operatorOf(request);
    const { id, messageId } = await params;
    const { service } = await getDlqServices();
    await service.deleteMessage(decodeURIComponent(id), decodeURIComponent(messageId), actor);
    return new Response(null, { status: 204 });
  } catch (error) {
    return errorResponse(error, 'deleting the message');
  }
}
