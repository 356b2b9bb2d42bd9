/*
 * Marks on the methods Signalbox patches, shared by every copy of the package
 * in a process (Symbol.for), so that registering the auto-instrumentations
 * twice (`signalboxInstrumentations()` next to `register()`, or two bundled
 * copies) patches once and traces every message once.
 */

const SIGNALBOX_PATCH = Symbol.for('@signalbox/instrumentation:patch');
// On prototype-method patches: how to reach the method beneath, for wrappers,
// which must call the client's own method and never trace the call a second time.
const BENEATH = Symbol.for('@signalbox/instrumentation:beneath');

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

export function markSignalboxPatch(fn: object, beneath?: MethodLookup): void {
  Object.defineProperty(fn, SIGNALBOX_PATCH, { value: true });
  if (beneath) Object.defineProperty(fn, BENEATH, { value: beneath });
}

/** For a Signalbox prototype-method patch, the method it replaced on `self`; else undefined. */
export function beneathSignalboxPatch(
  fn: unknown,
  self: unknown,
): ((...args: unknown[]) => unknown) | undefined {
  if (!isSignalboxPatch(fn)) return undefined;
  const beneath = (fn as Record<symbol, unknown>)[BENEATH];
  return typeof beneath === 'function' ? (beneath as MethodLookup)(self) : undefined;
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
