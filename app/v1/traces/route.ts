import { receiveOtlp } from '@/lib/ingest/receiver';
import { receiverOptions } from '@/lib/runtime';
import { toWebResponse } from '@/lib/ingest/otlp-encoding';
import { fromWebRequest } from '@/lib/ingest/web-request';

export const dynamic = 'force-dynamic';

/** OTLP/HTTP trace receiver: point any OTel SDK's OTLP exporter here (or at :4318). */
export async function POST(request: Request): Promise<Response> {
  return toWebResponse(await receiveOtlp('traces', fromWebRequest(request), receiverOptions()));
}
