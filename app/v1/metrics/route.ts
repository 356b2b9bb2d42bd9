import { receiveOtlp } from '@/lib/ingest/receiver';
import { receiverOptions } from '@/lib/runtime';
import { toWebResponse } from '@/lib/ingest/otlp-encoding';
import { fromWebRequest } from '@/lib/ingest/web-request';

export const dynamic = 'force-dynamic';

/** OTLP/HTTP metrics receiver: Signalbox keeps the messaging metrics (semconv and signalbox.messaging.*). */
export async function POST(request: Request): Promise<Response> {
  return toWebResponse(await receiveOtlp('metrics', fromWebRequest(request), receiverOptions()));
}
