/**
 * A caught error as an operator reads it in a DlqBrokerError: its message, or its name where the
 * message is empty (some AWS SDK errors carry only a name).
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}
