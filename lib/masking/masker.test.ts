import { describe, expect, it } from 'vitest';
import { DEFAULT_MASKING, Masker, NO_MASKING } from '.';

const defaults = new Masker(DEFAULT_MASKING);
const JWT =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

describe('the default patterns', () => {
  it('hide card numbers that pass Luhn, grouped or not, and leave other long numbers readable', () => {
    expect(defaults.text('card 4111 1111 1111 1111 declined')).toBe('card [masked:card] declined');
    expect(defaults.text('pan=5500-0000-0000-0004')).toBe('pan=[masked:card]');
    expect(defaults.text('amex 378282246310005')).toBe('amex [masked:card]');
    // Fails Luhn: an order id, not a card.
    expect(defaults.text('order 4111111111111112')).toBe('order 4111111111111112');
    // Epoch milliseconds and ids starting with 1 or 9 are not card numbers.
    expect(defaults.text('at 1733348400000 id 9111111111111111')).toBe(
      'at 1733348400000 id 9111111111111111',
    );
  });

  it('hide e-mail addresses, bearer tokens, JWTs and AWS access keys', () => {
    expect(defaults.text('from jane.doe+shop@example.co.uk')).toBe('from [masked:email]');
    expect(defaults.text(`Bearer ${JWT}`)).toBe('[masked:bearer]');
    expect(defaults.text(`token ${JWT} expired`)).toBe('token [masked:jwt] expired');
    expect(defaults.text('key AKIAIOSFODNN7EXAMPLE used')).toBe('key [masked:aws-key] used');
    expect(defaults.text('order 17 has no amount')).toBe('order 17 has no amount');
  });

  it('are off with the defaults: only configured rules apply', () => {
    const none = new Masker(NO_MASKING);
    expect(none.text('4111 1111 1111 1111 jane@example.com')).toBe('4111 1111 1111 1111 jane@example.com');
    expect(none.headers({ authorization: 'Basic abc' })).toEqual({ authorization: 'Basic abc' });
    const own = new Masker({ ...NO_MASKING, patterns: ['/ORD-\\d+/i'] });
    expect(own.text('ord-42 for jane@example.com')).toBe('[masked:pattern] for jane@example.com');
  });
});

describe('JSON path rules', () => {
  const masker = new Masker({ ...NO_MASKING, jsonPaths: ['$.card.number', '$..password', '$.items.*.iban'] });

  it('hide the fields they name, at their place or at any depth, whatever the value', () => {
    const body = {
      card: { number: 'x', holder: 'Jane' },
      user: { Password: 'hunter2', profile: { password: { old: 'a' } } },
      items: [{ account: { iban: 'DE89', bic: 'COBA' } }, { account: { iban: 'FR76' } }],
      number: 'kept: not under card',
    };
    expect(masker.json(body)).toEqual({
      card: { number: '[masked:field]', holder: 'Jane' },
      user: { Password: '[masked:field]', profile: { password: '[masked:field]' } },
      items: [{ account: { iban: '[masked:field]', bic: 'COBA' } }, { account: { iban: '[masked:field]' } }],
      number: 'kept: not under card',
    });
  });

  it('go with the patterns, which reach every string and number', () => {
    expect(defaults.json({ note: 'paid by jane@example.com', pan: 4111111111111111, cents: 1200 })).toEqual({
      note: 'paid by [masked:email]',
      pan: '[masked:field]',
      cents: 1200,
    });
    expect(defaults.json({ ref: 4111111111111111 })).toEqual({ ref: '[masked:card]' });
  });
});

describe('header rules', () => {
  it('hide named headers whole, case-insensitively and by glob, and other values by pattern', () => {
    const masker = new Masker({ ...DEFAULT_MASKING, headers: ['x-customer-*'] });
    expect(
      masker.headers({
        Authorization: 'Basic Z3Vlc3Q6Z3Vlc3Q=',
        'X-Refresh-Token': ['a', 'b'],
        'x-customer-name': 'Jane Doe',
        'x-reply-to': 'jane@example.com',
        'x-tenant': 'acme',
      }),
    ).toEqual({
      Authorization: '[masked:header]',
      'X-Refresh-Token': ['[masked:header]', '[masked:header]'],
      'x-customer-name': '[masked:header]',
      'x-reply-to': '[masked:email]',
      'x-tenant': 'acme',
    });
  });

  it('hide span attributes named like such headers, and pattern matches in the others', () => {
    expect(
      defaults.attributes({
        'http.request.header.authorization': ['Bearer abc'],
        'messaging.message.id': 'm-1',
        'messaging.batch.message_count': 2,
        'app.customer': 'jane@example.com',
      }),
    ).toEqual({
      'http.request.header.authorization': '[masked:header]',
      'messaging.message.id': 'm-1',
      'messaging.batch.message_count': 2,
      'app.customer': '[masked:email]',
    });
  });
});

describe('bodies', () => {
  it('mask JSON by path and pattern, text by pattern, and leave binary and clean bodies as they are', () => {
    const json = Buffer.from('{"password":"hunter2","to":"jane@example.com"}');
    expect(JSON.parse(defaults.body(json).body.toString())).toEqual({
      password: '[masked:field]',
      to: '[masked:email]',
    });
    expect(defaults.body(Buffer.from('charge 4111-1111-1111-1111 failed')).body.toString()).toBe(
      'charge [masked:card] failed',
    );
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x34, 0x31]);
    expect(defaults.body(binary)).toEqual({ body: binary, masked: false });
    const clean = Buffer.from('{ "id": 1 }');
    expect(defaults.body(clean)).toEqual({ body: clean, masked: false });
  });
});

describe('a rule that does not compile', () => {
  it('throws, naming it', () => {
    expect(() => new Masker({ ...NO_MASKING, jsonPaths: ['card.number'] })).toThrow(/card\.number/);
    expect(() => new Masker({ ...NO_MASKING, patterns: ['(unclosed'] })).toThrow(SyntaxError);
  });
});
