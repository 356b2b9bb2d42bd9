import { context, diag, SpanKind, SpanStatusCode, trace, type SpanContext } from '@opentelemetry/api';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { resolveOptions, type ParentMode } from '../src/options.js';
import { Operation } from '../src/messaging/operation.js';
import { guarded, startProcessSpan } from '../src/spans.js';
import { sameSpan, setupTracing } from './support/tracing.js';

const tracing = setupTracing();
afterAll(() => tracing.shutdown());
beforeEach(() => tracing.reset());

// A producer's creation context as it arrives in message headers.
const producer: SpanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: 1,
  isRemote: true,
};
const info = { system: 'kafka', destination: 'orders' };

/** Starts and ends a process span, optionally inside an ambient span; returns both. */
function processIn(mode: ParentMode, creation: SpanContext | undefined, withAmbient: boolean) {
  const ambient = withAmbient ? tracing.tracer.startSpan('http request') : undefined;
  const base = ambient ? trace.setSpan(context.active(), ambient) : context.active();
  let activeInHandler: SpanContext | undefined;
  context.with(base, () => {
    const { span, context: handlerContext } = startProcessSpan(tracing.tracer, info, creation, mode);
    new Operation(span, handlerContext).run(() => {
      activeInHandler = trace.getActiveSpan()?.spanContext();
    });
  });
  ambient?.end();
  const processed = tracing.spans().find((s) => s.name === 'process orders');
  if (!processed) throw new Error('no process span');
  expect(sameSpan(activeInHandler, processed.spanContext())).toBe(true);
  return { processed, ambient: ambient?.spanContext() };
}

describe("parentMode 'link' (default)", () => {
  it('is the default', () => {
    expect(resolveOptions().parentMode).toBe('link');
    expect(resolveOptions({}).parentMode).toBe('link');
  });

  it('parents on the ambient span and links to the producer', () => {
    const { processed, ambient } = processIn('link', producer, true);
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(sameSpan(processed.parentSpanContext, ambient)).toBe(true);
    expect(processed.links.map((l) => l.context)).toEqual([producer]);
  });

  it('starts a new trace linked to the producer when nothing is active', () => {
    const { processed } = processIn('link', producer, false);
    expect(processed.parentSpanContext).toBeUndefined();
    expect(processed.spanContext().traceId).not.toBe(producer.traceId);
    expect(processed.links.map((l) => l.context)).toEqual([producer]);
  });
});

describe("parentMode 'parent'", () => {
  it('is a child of the producer, in its trace, with no link', () => {
    const { processed } = processIn('parent', producer, true);
    expect(processed.spanContext().traceId).toBe(producer.traceId);
    expect(sameSpan(processed.parentSpanContext, producer)).toBe(true);
    expect(processed.links).toEqual([]);
  });
});

describe("parentMode 'parent+ambient-link'", () => {
  it('is a child of the producer and links to the ambient span', () => {
    const { processed, ambient } = processIn('parent+ambient-link', producer, true);
    expect(sameSpan(processed.parentSpanContext, producer)).toBe(true);
    expect(processed.links).toHaveLength(1);
    expect(sameSpan(processed.links[0]?.context, ambient)).toBe(true);
  });

  it('adds no link when no span is active', () => {
    const { processed } = processIn('parent+ambient-link', producer, false);
    expect(sameSpan(processed.parentSpanContext, producer)).toBe(true);
    expect(processed.links).toEqual([]);
  });
});

describe('a message without producer context', () => {
  it.each<ParentMode>(['link', 'parent', 'parent+ambient-link'])('%s: ambient parent, no links', (mode) => {
    const { processed, ambient } = processIn(mode, undefined, true);
    expect(sameSpan(processed.parentSpanContext, ambient)).toBe(true);
    expect(processed.links).toEqual([]);
  });

  it('an invalid producer context counts as none', () => {
    const invalid = { ...producer, traceId: '00000000000000000000000000000000' };
    const { processed, ambient } = processIn('parent', invalid, true);
    expect(sameSpan(processed.parentSpanContext, ambient)).toBe(true);
    expect(processed.links).toEqual([]);
  });
});

it('an unknown parentMode from plain JS falls back to link with a warning', () => {
  const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
  expect(resolveOptions({ parentMode: 'child' as ParentMode }).parentMode).toBe('link');
  expect(warn).toHaveBeenCalledOnce();
  warn.mockRestore();
});

describe('Operation.run', () => {
  const start = () => tracing.tracer.startSpan('op');

  it('ends the span when a synchronous handler returns', () => {
    const span = start();
    expect(new Operation(span, context.active()).run(() => 7)).toBe(7);
    expect(tracing.spans()).toHaveLength(1);
  });

  it('ends the span only when the returned promise settles', async () => {
    const span = start();
    let release!: () => void;
    const pending = new Operation(span, context.active()).run(
      () => new Promise<string>((r) => (release = () => r('ok'))),
    );
    await Promise.resolve();
    expect(tracing.spans()).toHaveLength(0);
    release();
    await expect(pending).resolves.toBe('ok');
    expect(tracing.spans()).toHaveLength(1);
    expect(tracing.spans()[0]?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a rejection and re-rejects with the same error', async () => {
    class PaymentDeclined extends Error {}
    const error = new PaymentDeclined('declined');
    const span = start();
    await expect(new Operation(span, context.active()).run(() => Promise.reject(error))).rejects.toBe(error);
    const [ended] = tracing.spans();
    expect(ended?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'declined' });
    expect(ended?.attributes['error.type']).toBe('PaymentDeclined');
    expect(ended?.events.map((e) => e.name)).toEqual(['exception']);
  });

  it('records a synchronous throw and rethrows the same value', () => {
    const span = start();
    const thrown = { code: 42 };
    expect(() =>
      new Operation(span, context.active()).run(() => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- apps do throw non-Errors; we must pass them through
        throw thrown;
      }),
    ).toThrow(expect.objectContaining({ code: 42 }) as Error);
    expect(tracing.spans()[0]?.attributes['error.type']).toBe('_OTHER');
  });
});

it('guarded swallows instrumentation failures and reports them with diag.warn', () => {
  const warn = vi.spyOn(diag, 'warn').mockImplementation(() => {});
  expect(
    guarded(
      'test',
      () => {
        throw new Error('bug in instrumentation');
      },
      'fallback',
    ),
  ).toBe('fallback');
  expect(warn).toHaveBeenCalledOnce();
  warn.mockRestore();
});
