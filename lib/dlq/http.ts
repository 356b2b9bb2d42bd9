import 'server-only';
import { requireOperator } from '@/lib/auth/operator';
import { DlqRequestError } from './service';
import { getDlqServices } from '@/lib/runtime';

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
