/*
 * Marks on the methods Signalbox patches, shared by every copy of the package
 * in a process (Symbol.for), so that registering the auto-instrumentations
 * twice (`signalboxInstrumentations()` next to `register()`, or two bundled
 * copies) patches once and traces every message once.
 */

const SIGNALBOX_PATCH = Symbol.for('@signalbox/instrumentation:patch');

/** Resolves, for a receiver, the method a {@link MethodPatch} replaced. */
export type MethodLookup = (self: unknown) => (...args: unknown[]) => unknown;

/** One prototype method replaced by `patchMethod`, for undoing it. */
export interface MethodPatch {
  target: object;
  name: string;
  patched: (...args: unknown[]) => unknown;
  /** The own property before the patch; undefined when the method was inherited. */
  descriptor: PropertyDescriptor | undefined;
}

export function markSignalboxPatch(fn: object): void {
  Object.defineProperty(fn, SIGNALBOX_PATCH, { value: true });
}

export function isSignalboxPatch(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[SIGNALBOX_PATCH] === true;
}

/** The first function among `candidates` (CommonJS exports, or an ESM namespace and its `default`). */
export function exported<T>(
  moduleExports: unknown,
  pick: (from: Record<string, unknown>) => unknown,
): T | undefined {
  const ns = moduleExports as Record<string, unknown> | undefined;
  for (const from of [ns, ns?.default as Record<string, unknown> | undefined]) {
    if (from === undefined || from === null) continue;
    const found = pick(from);
    if (typeof found === 'function') return found as T;
  }
  return undefined;
}
