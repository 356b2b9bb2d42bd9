import { describe, expect, it } from 'vitest';
import { failureFingerprint, normaliseErrorMessage, topStackFrames } from '../../src/dlq/fingerprint.js';

describe('normaliseErrorMessage', () => {
  it.each([
    ['order 42 not found', 'order <n> not found'],
    ['order 43 not found', 'order <n> not found'],
    ['took 1.25s, limit 1s', 'took <n>s, limit <n>s'],
    ['user 7f1c2a9e-1b2c-4d3e-8f90-0a1b2c3d4e5f missing', 'user <uuid> missing'],
    ['object 507f1f77bcf86cd799439011 locked', 'object <hex> locked'],
    ['bad pointer 0xDEADBEEF', 'bad pointer <hex>'],
    ['expired at 2026-11-21T10:00:00.123Z (now 2026-11-21 10:05:00+02:00)', 'expired at <ts> (now <ts>)'],
    ['unknown SKU "ABC-1" in cart', 'unknown SKU "<q>" in cart'],
    [
      "Cannot read properties of undefined (reading 'id')",
      "Cannot read properties of undefined (reading '<q>')",
    ],
    ['column `email` is null', 'column `<q>` is null'],
    ["can't connect, won't retry", "can't connect, won't retry"],
    ['connect ECONNREFUSED 10.0.3.7:5432', 'connect ECONNREFUSED <ip>:<n>'],
    ['  multi\n  line\ttext  ', 'multi line text'],
    ['deadbeef is a word here, defaced too', 'deadbeef is a word here, defaced too'],
  ])('%j → %j', (message, expected) => {
    expect(normaliseErrorMessage(message)).toBe(expected);
  });

  it('is bounded for huge messages', () => {
    expect(normaliseErrorMessage('x'.repeat(1_000_000)).length).toBeLessThanOrEqual(2048);
  });
});

describe('topStackFrames', () => {
  it('keeps function and file of JavaScript frames, without line numbers, directories or runtime internals', () => {
    const stack = [
      'TypeError: Cannot read properties of undefined',
      '    at charge (/srv/app/dist/billing.js:120:17)',
      '    at async Worker.handle (file:///srv/app/dist/worker.mjs:33:5)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at C:\\app\\dist\\index.js:5:1',
      '    at more (/srv/app/dist/more.js:1:1)',
    ].join('\n');
    expect(topStackFrames(stack)).toEqual(['charge (billing.js)', 'Worker.handle (worker.mjs)', 'index.js']);
  });

  it('gives the same frames for a different build and host', () => {
    const a = 'Error: x\n    at charge (/srv/v1/billing.js:120:17)\n    at run (/srv/v1/run.js:3:1)';
    const b =
      'Error: x\n    at charge (/home/ci/build-88/billing.js:131:9)\n    at run (/home/ci/build-88/run.js:4:2)';
    expect(topStackFrames(a)).toEqual(topStackFrames(b));
  });

  it('reads Java, .NET and Python frames (Python innermost last)', () => {
    expect(
      topStackFrames(
        'java.lang.IllegalStateException: x\n\tat com.acme.Billing.charge(Billing.java:42)\n\tat java.base/java.lang.Thread.run(Thread.java:833)',
      ),
    ).toEqual(['com.acme.Billing.charge(Billing.java)', 'java.base/java.lang.Thread.run(Thread.java)']);
    expect(
      topStackFrames(
        '   at Billing.Consumer.Consume(ConsumeContext`1 ctx) in /src/Billing/Consumer.cs:line 27',
      ),
    ).toEqual(['Billing.Consumer.Consume(ConsumeContext`1 ctx) (Consumer.cs)']);
    const python = [
      'Traceback (most recent call last):',
      '  File "/app/main.py", line 10, in <module>',
      '  File "/app/worker.py", line 20, in handle',
      '  File "/app/billing.py", line 30, in charge',
      '  File "/app/db.py", line 40, in query',
      'ValueError: bad',
    ].join('\n');
    expect(topStackFrames(python)).toEqual(['handle (worker.py)', 'charge (billing.py)', 'query (db.py)']);
  });
});

describe('failureFingerprint', () => {
  const base = {
    errorType: 'PaymentDeclined',
    errorMessage: 'card declined for order 42',
    stackTrace: 'PaymentDeclined: card declined\n    at charge (/srv/a/billing.js:1:2)',
  };

  it('is 16 hex characters and stable across orders, hosts and line numbers', () => {
    const fp = failureFingerprint(base);
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(
      failureFingerprint({
        ...base,
        errorMessage: 'card declined for order 97',
        stackTrace: 'PaymentDeclined: card declined\n    at charge (/other/host/billing.js:9:9)',
      }),
    ).toBe(fp);
  });

  it('differs when the error type, the message shape or the throwing function differs', () => {
    const fp = failureFingerprint(base);
    expect(failureFingerprint({ ...base, errorType: 'TimeoutError' })).not.toBe(fp);
    expect(failureFingerprint({ ...base, errorMessage: 'card expired for order 42' })).not.toBe(fp);
    expect(
      failureFingerprint({
        ...base,
        stackTrace: 'PaymentDeclined: x\n    at refund (/srv/a/billing.js:1:2)',
      }),
    ).not.toBe(fp);
  });

  it('groups failures without error information by reason', () => {
    const none = { errorType: null, errorMessage: null, stackTrace: null };
    expect(failureFingerprint({ ...none, reason: 'expired' })).toBe(
      failureFingerprint({ ...none, reason: 'expired' }),
    );
    expect(failureFingerprint({ ...none, reason: 'expired' })).not.toBe(
      failureFingerprint({ ...none, reason: 'maxlen' }),
    );
  });
});
