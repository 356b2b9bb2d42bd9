import { diag } from '@opentelemetry/api';

/*
 * Every message is traced once, however a service adopted the package: a
 * wrapper applied twice, the auto-instrumentation plus a wrapper (`register()`
 * and the README's `instrumentNatsConnection(await connect())`), or two copies
 * of the package in one process. Each wrapper Signalbox hands out answers the
 * key below with the object it wraps. The key is read through the wrapper's
 * own `get` (our wrappers are Proxies), so it survives another library's
 * Proxy around ours, and Symbol.for makes every copy of the package agree.
 */
const ORIGINAL = Symbol.for('@signalbox/instrumentation:original');

/** The property a wrapper's overrides carry so that it can be recognised: spread it into them. */
export function wrapperOf(original: object): Record<symbol, object> {
  return { [ORIGINAL]: original };
}

/** Marks a wrapper that is not a Proxy (a processor function) as wrapping `original`. */
export function markWrapper<T extends object>(wrapper: T, original: object): T {
  Object.defineProperty(wrapper, ORIGINAL, { value: original });
  return wrapper;
}

/** The object a Signalbox wrapper wraps, or undefined when `value` is not one. Never throws. */
export function originalOf<T>(value: T): T | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  try {
    const original = (value as Record<symbol, unknown>)[ORIGINAL];
    return typeof original === 'object' || typeof original === 'function' ? (original as T) : undefined;
  } catch {
    // A foreign Proxy whose `get` throws: not ours.
    return undefined;
  }
}

const skipped = new Set<string>();

/**
 * `client` itself when Signalbox already instruments it (logged once per kind
 * at debug level), else what `wrap` makes of it.
 */
export function wrapOnce<T>(client: T, what: string, wrap: () => T): T {
  if (originalOf(client) === undefined) return wrap();
  if (!skipped.has(what)) {
    skipped.add(what);
    diag.debug(
      `@signalbox/instrumentation: this ${what} is already instrumented by Signalbox (a wrapper or the auto-instrumentation); ` +
        'wrapping it again changes nothing, so each message is traced once. Logged once.',
    );
  }
  return client;
}

const IN_PROCESS = Symbol.for('@signalbox/instrumentation:in-process');

/**
 * Messages a Signalbox process span is open for, shared by every copy of the
 * package. A processor wrapped by the user and called by the auto-instrumented
 * worker (BullMQ) sees its job here and runs without a second span.
 */
export function messagesInProcess(): WeakSet<object> {
  const holder = globalThis as unknown as Record<symbol, WeakSet<object> | undefined>;
  return (holder[IN_PROCESS] ??= new WeakSet<object>());
}
