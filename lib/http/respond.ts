import { ZodError } from 'zod';
import { HttpError, TooManyRequestsError } from './errors';

/** The JSON body of every error the APIs answer: `{ "error": "<what happened and what to do>" }`. */
export interface ErrorBody {
  error: string;
}

const json = (status: number, message: string, headers?: HeadersInit) =>
  Response.json({ error: message } satisfies ErrorBody, { status, ...(headers && { headers }) });

/**
 * The one error → response mapping of the APIs: a typed error's status and its
 * message (with Retry-After when it asks to slow down); a request that failed validation 400 naming each parameter; anything
 * else 500 without internals, logged on the server.
 */
export function errorResponse(error: unknown, what: string): Response {
  if (error instanceof TooManyRequestsError) {
    return json(error.status, error.message, { 'retry-after': String(error.retryAfterSeconds) });
  }
  if (error instanceof HttpError) return json(error.status, error.message, error.headers);
  if (error instanceof ZodError) {
    return json(400, error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '));
  }
  console.error(`${what} failed`, error);
  return json(500, `${what} failed; see the dashboard log`);
}
