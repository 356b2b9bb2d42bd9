import { BadRequestError } from './errors';

/**
 * A dynamic route segment (`[id]`) decoded: ids hold characters a path cannot (`kafka:orders.dlq`),
 * so clients percent-encode them. A broken encoding is the client's mistake, a 400 naming the
 * segment; decodeURIComponent alone would throw a URIError, a 500.
 */
export function decodeSegment(value: string, name: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new BadRequestError(
      `${name} must be percent-encoded UTF-8 (encodeURIComponent), not ${JSON.stringify(value)}`,
    );
  }
}
