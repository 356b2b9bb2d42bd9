import { createContextKey, type Context } from '@opentelemetry/api';
import type { PathwayHeader } from './header.js';

/*
 * The pathway a piece of code is consuming travels in the OTel Context, the
 * same way the active span does: a process span's context carries it, and a
 * send made inside that context continues the pathway (parent hash, origin
 * time, hop count) instead of starting a new one. The key is private to this
 * package; nothing else should read or write it.
 */
const CONSUMED_PATHWAY = createContextKey('@signalbox/instrumentation consumed pathway');

/** The pathway being consumed in `ctx`, if a process span put one there. */
export function getConsumedPathway(ctx: Context): PathwayHeader | undefined {
  return ctx.getValue(CONSUMED_PATHWAY) as PathwayHeader | undefined;
}

/** `ctx` with `pathway` as the pathway being consumed. */
export function setConsumedPathway(ctx: Context, pathway: PathwayHeader): Context {
  return ctx.setValue(CONSUMED_PATHWAY, pathway);
}
