import { authorizeRequest } from '@/lib/auth/guard';
import { errorResponse } from '@/lib/http/respond';
import { getAuditLog } from '@/lib/runtime';

export const dynamic = 'force-dynamic';

/**
 * GET /api/audit (admin) → the whole audit log as JSON lines, oldest first: one entry per line
 * with `seq`, `prevHash` and `hash`, so the export can be verified on its own (see README).
 */
export async function GET(request: Request): Promise<Response> {
  try {
    await authorizeRequest(request, 'administer');
    const log = await getAuditLog();
    const encoder = new TextEncoder();
    const entries = log.all()[Symbol.asyncIterator]();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await entries.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
      },
    });
    const day = new Date().toISOString().slice(0, 10);
    return new Response(body, {
      headers: {
        'content-type': 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="signalbox-audit-${day}.jsonl"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    return errorResponse(error, 'exporting the audit log');
  }
}
