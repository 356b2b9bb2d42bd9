/*
 * The pathway hash of PATHWAY.md: FNV-1a 64 over the UTF-8 bytes of
 * `parentHash|service|system|destination`, as 16 lowercase hex characters.
 * FNV-1a because it is tiny, has no dependency, and the dashboard or a
 * service in another language can reproduce it in a few lines.
 */

const FNV_OFFSET_BASIS = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const encoder = new TextEncoder();

/** FNV-1a 64 of `input`'s UTF-8 bytes, 16 lowercase hex characters. */
export function fnv1a64Hex(input: string): string {
  let hash = FNV_OFFSET_BASIS;
  for (const byte of encoder.encode(input)) {
    hash = BigInt.asUintN(64, (hash ^ BigInt(byte)) * FNV_PRIME);
  }
  return hash.toString(16).padStart(16, '0');
}

// A route has one hash for the life of the process, and there are few routes,
// so the BigInt arithmetic runs once per route rather than once per message.
// The bound keeps a service that produces to unbounded destination names
// (per-user queues) from growing memory without limit.
const MAX_CACHED = 4096;
const cache = new Map<string, string>();

/** The pathway hash of one edge (see PATHWAY.md), cached per route. */
export function pathwayHash(
  parentHash: string,
  service: string,
  system: string,
  destination: string,
): string {
  const input = `${parentHash}|${service}|${system}|${destination}`;
  let hash = cache.get(input);
  if (hash === undefined) {
    hash = fnv1a64Hex(input);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(input, hash);
  }
  return hash;
}
