import 'server-only';
import { ZodError } from 'zod';
import { OperatorAuthError, requireOperator } from '@/lib/auth/operator';
import { DlqBrokerError } from './brokers/types';
import { DlqConfigError } from './config';
import { DlqConflictError, DlqNotFoundError, DlqRequestError } from './service';
import { getDlqServices } from '.';

/**
 * Typed errors of the DLQ API as JSON responses: bad input 400, token 401/403, not found 404,
 * conflict 409, broker or configuration trouble 502/503 with the broker's message (it names the
 * queue or the key to fix, never a secret), anything else 500 without internals.
 */
export function dlqErrorResponse(error: unknown, what: string): Response {
  const json = (status: number, message: string) => Response.json({ error: message }, { status });
  if (error instanceof OperatorAuthError) return json(error.status, error.message);
  if (error instanceof DlqRequestError) return json(400, error.message);
  if (error instanceof ZodError)
    return json(400, error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  if (error instanceof DlqNotFoundError) return json(404, error.message);
  if (error instanceof DlqConflictError) return json(409, error.message);
  if (error instanceof DlqBrokerError) return json(502, error.message);
  if (error instanceof DlqConfigError) return json(503, error.message);
  if (error instanceof Error && error.name === 'BrokerConfigError') return json(503, error.message);
  console.error(`${what} failed`, error);
  return json(500, `${what} failed; see the dashboard log`);
}

/** Authorizes a mutating request; returns the actor for the audit log. */
export async function operatorOf(request: Request): Promise<string> {
  const { config } = await getDlqServices();
  return requireOperator(request, config.operatorToken);
}

/** A request body as JSON, or a 400. */
export async function jsonBody(request: Request): Promise<unknown> {
  try {
    return (await request.json()) as unknown;
  } catch {
    throw new DlqRequestError('the body must be JSON');
  }
}
