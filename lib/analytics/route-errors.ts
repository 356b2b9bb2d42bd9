import { EdgeNotFoundError } from './edge-detail';
import { JourneyNotFoundError } from './journey-model';
import { PathwayNotFoundError } from './latency-series';
import { TimeRangeError } from './time-range';

/** A request the API cannot answer as asked (400), with the reason. */
export class BadRequestError extends Error {
  override name = 'BadRequestError';
}

/**
 * Maps the analytics' typed errors to JSON responses for the thin route
 * handlers: bad input 400, nothing found 404, anything else 500 without
 * internals (logged server-side).
 */
export function errorJson(error: unknown, what: string): Response {
  if (error instanceof TimeRangeError || error instanceof BadRequestError) {
    return Response.json({ error: error.message }, { status: 400 });
  }
  if (
    error instanceof EdgeNotFoundError ||
    error instanceof JourneyNotFoundError ||
    error instanceof PathwayNotFoundError
  ) {
    return Response.json({ error: error.message }, { status: 404 });
  }
  console.error(`${what} failed`, error);
  return Response.json({ error: `the ${what} failed; see the dashboard log` }, { status: 500 });
}

/** Reads one query parameter, bounded in length. */
export function param(params: URLSearchParams, name: string, maxLength = 512): string | null {
  const value = params.get(name);
  if (value === null || value.trim() === '') return null;
  if (value.length > maxLength) throw new BadRequestError(`${name} is longer than ${maxLength} characters`);
  return value.trim();
}
