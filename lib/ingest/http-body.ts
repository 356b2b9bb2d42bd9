import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { IngestError } from './errors';

const gunzip = promisify(zlib.gunzip);

/**
 * Reads a request body, refusing (413) as soon as it passes `limit` bytes, so a
 * huge upload never sits in memory. A Content-Length over the limit is refused
 * before reading anything.
 */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

/** Undoes Content-Encoding; the decompressed size has the same limit (no gzip bombs). */
export async function decodeContentEncoding(
  body: Uint8Array,
  encoding: string | null,
  limit: number,
): Promise<Uint8Array> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return body;
  if (name !== 'gzip')
    throw new IngestError(415, `unsupported Content-Encoding "${name}"; send gzip or none`);
  try {
    return await gunzip(body, { maxOutputLength: limit });
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(limit, 'decompressed ');
    }
    throw new IngestError(400, `body is not valid gzip: ${(error as Error).message}`);
  }
}

function tooLarge(limit: number, what = ''): IngestError {
  return new IngestError(
    413,
    `${what}body exceeds ${limit} bytes (SIGNALBOX_OTLP_MAX_BODY_BYTES); send smaller batches, e.g. lower the exporter's max batch size`,
  );
}
