/*
 * Whether an exchange's binding takes a message with a given routing key, by
 * the exchange's type. Topic keys and patterns are dot-separated words; in a
 * pattern `*` is exactly one word and `#` zero or more. The empty key has no
 * words (RabbitMQ splits `''` into none), so only `#` matches it.
 */

const words = (key: string) => (key === '' ? [] : key.split('.'));

/** Topic exchange matching of `routingKey` against the binding pattern. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const p = words(pattern);
  const k = words(routingKey);
  // Positions (i in pattern, j in key) still to try; `#` branches, so memoise them.
  const failed = new Set<number>();
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    const at = i * (k.length + 1) + j;
    if (failed.has(at)) return false;
    const word = p[i];
    const ok =
      word === '#'
        ? match(i + 1, j) || (j < k.length && match(i, j + 1))
        : j < k.length && (word === '*' || word === k[j]) && match(i + 1, j + 1);
    if (!ok) failed.add(at);
    return ok;
  };
  return match(0, 0);
}

/**
 * How a binding decides, for one exchange type: `true`/`false` when the key
 * decides it; `'unknown'` when it depends on message headers the graph does
 * not see (a headers exchange) or on a plugin's rules (another type), so the
 * binding may take the message.
 */
export function bindingMatches(
  /** The exchange's type: direct, topic, fanout, headers or a plugin's. */
  type: string,
  bindingKey: string,
  routingKey: string,
): boolean | 'unknown' {
  switch (type) {
    case 'direct':
      return bindingKey === routingKey;
    case 'topic':
      return topicMatches(bindingKey, routingKey);
    case 'fanout':
      return true;
    default:
      return 'unknown';
  }
}
