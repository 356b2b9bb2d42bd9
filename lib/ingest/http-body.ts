import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { IngestError } from './errors';

const gunzip = promisify(zlib.gunzip);

/**
 * Request bytes being read or decoded right now, across every ingest entry
 * point of the process (the Next routes and the :4318 listener are bundled
 * separately, so the counter lives on globalThis). Past the budget, new
 * requests are answered 429 instead of buffered: memory stays bounded however
 * many exporters send at once.
 */
const inflight = globalThis as typeof globalThis & { __signalboxInflightBytes?: number };

export function inflightBytes(): number {
  return inflight.__signalboxInflightBytes ?? 0;
}

/** A claim on the in-flight budget; release it once the body's data is out of memory or handed to the store. */
export class BodyBudget {
  private held = 0;
  constructor(private readonly limit: number) {}

  take(bytes: number): void {
    // A request alone always gets through (its size is capped by SIGNALBOX_OTLP_MAX_BODY_BYTES).
    const others = inflightBytes() - this.held;
    if (others > 0 && inflightBytes() + bytes > this.limit) {
      throw new IngestError(
        429,
        'too many request bytes in flight (SIGNALBOX_INGEST_MAX_INFLIGHT_BYTES); retry later',
      );
    }
    this.held += bytes;
    inflight.__signalboxInflightBytes = inflightBytes() + bytes;
  }

  release(): void {
    inflight.__signalboxInflightBytes = Math.max(0, inflightBytes() - this.held);
    this.held = 0;
  }
}

/**
 * Reads a request body, refusing (413) as soon as it passes `limit` bytes, so a
 * huge upload never sits in memory. A Content-Length over the limit is refused
 * before reading anything.
 */
export async function readBody(
  body: AsyncIterable<Uint8Array> | null,
  declaredLength: string | null,
  limit: number,
  budget: BodyBudget,
): Promise<Uint8Array> {
  const declared = Number(declaredLength ?? NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge(limit);
    budget.take(chunk.byteLength);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Undoes Content-Encoding; the decompressed size has the same limit (no gzip bombs). */
export async function decodeContentEncoding(
  body: Uint8Array,
  encoding: string | null,
  limit: number,
  budget: BodyBudget,
): Promise<Uint8Array> {
  const name = (encoding ?? 'identity').trim().toLowerCase();
  if (name === 'identity' || name === '') return body;
  if (name !== 'gzip')
    throw new IngestError(415, `unsupported Content-Encoding "${name}"; send gzip or none`);
  let out: Buffer;
  try {
    out = await gunzip(body, { maxOutputLength: limit });
  } catch (error) {
    if (error instanceof RangeError || (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge(limit, 'decompressed ');
    }
    throw new IngestError(400, `body is not valid gzip: ${(error as Error).message}`);
  }
  budget.take(out.byteLength);
  return out;
}

function tooLarge(limit: number, what = ''): IngestError {
  return new IngestError(
    413,
    `${what}body exceeds ${limit} bytes (SIGNALBOX_OTLP_MAX_BODY_BYTES); send smaller batches, e.g. lower the exporter's max batch size`,
  );
}
