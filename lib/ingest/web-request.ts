import type { OtlpHttpRequest } from './receiver';

/** Adapts a web Request (Next route handlers) to the receiver's request. */
export function fromWebRequest(request: Request): OtlpHttpRequest {
  const h = request.headers;
  return {
    contentType: h.get('content-type'),
    contentEncoding: h.get('content-encoding'),
    contentLength: h.get('content-length'),
    authorization: h.get('authorization'),
    // A web ReadableStream is async-iterable in Node ≥ 18.
    body: request.body as AsyncIterable<Uint8Array> | null,
  };
}
