/** `system:name` ids used in URLs (`GET /api/dlq/{id}/messages`). */
export function queueId(system: string, name: string): string {
  return `${system}:${name}`;
}

export function parseQueueId(id: string): { system: string; name: string } | null {
  const at = id.indexOf(':');
  if (at <= 0 || at === id.length - 1) return null;
  return { system: id.slice(0, at), name: id.slice(at + 1) };
}
