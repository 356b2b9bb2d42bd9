import { config } from '@/lib/config';
import { IngestError } from '@/lib/ingest/errors';
import { ingestTraces } from '@/lib/ingest/ingest-traces';
import { OtlpDecodeError } from '@/lib/ingest/model';
import { type OtlpEncoding, encodingOf, errorResponse, exportResponse } from '@/lib/ingest/otlp-encoding';
import { getStore } from '@/lib/store';

export const dynamic = 'force-dynamic';

/** OTLP/HTTP trace receiver: point any OTel SDK's OTLP exporter here. */
export async function POST(request: Request): Promise<Response> {
  let encoding: OtlpEncoding | null = null;
  try {
    encoding = encodingOf(request.headers.get('content-type'));
    await ingestTraces(request, encoding, await getStore(), config().otlpMaxBodyBytes);
    return exportResponse(encoding, 0, '');
  } catch (error) {
    if (error instanceof IngestError) return errorResponse(encoding, error.status, error.message);
    if (error instanceof OtlpDecodeError) return errorResponse(encoding, 400, error.message);
    console.error('OTLP trace ingest failed', error);
    // 503 tells OTLP exporters to retry: the batch was not stored.
    return errorResponse(encoding, 503, 'the store could not accept this batch; retry later', {
      'retry-after': '5',
    });
  }
}
