import 'server-only';
import { requireOperator } from '@/lib/auth/operator';
import { config } from '@/lib/runtime';

/**
 * Authorizes a mutating request; returns the actor for the audit log. Reads the token from the
 * settings the DLQ services are built from, without opening them (their store and brokers): a
 * refused or malformed request touches nothing.
 */
export function operatorOf(request: Request): string {
  return requireOperator(request, config().dlq.operatorToken);
}
