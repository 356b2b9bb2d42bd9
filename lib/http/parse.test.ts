import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BadRequestError } from './errors';
import { parseBody, parseQuery, parseSearchParams } from './parse';
import { decodeSegment } from './path';
import { requiredText, text, wholeNumber } from './schemas/fields';

const query = z.object({
  q: requiredText('a trace id'),
  note: text(8).optional(),
  limit: wholeNumber({ min: 1, max: 10_000, fallback: 200 }),
});
const read = (search: string) => parseSearchParams(new URLSearchParams(search), query);
const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('parseSearchParams', () => {
  it('reads trimmed values and defaults, ignoring blank, repeated and unknown parameters', () => {
    expect(read('q=%20abc%20&note=&limit=50&limit=7&other=1')).toEqual({ q: 'abc', limit: 50 });
    expect(read('q=abc')).toEqual({ q: 'abc', limit: 200 });
  });

  it.each([
    ['q=a&limit=0', 'limit must be a whole number from 1 to 10000, not "0"'],
    ['q=a&limit=10001', 'limit must be a whole number from 1 to 10000, not "10001"'],
    ['q=a&limit=2.5', 'limit must be a whole number from 1 to 10000, not "2.5"'],
    ['q=a&limit=all', 'limit must be a whole number from 1 to 10000, not "all"'],
    ['limit=5', 'q is required: a trace id'],
    ['q=a&note=far+too+long', 'note must be at most 8 characters, not "far too long"'],
  ])('refuses %s naming the parameter, what it must be and what came', (search, message) => {
    expect(refusal(() => read(search))).toBe(message);
  });

  it('names every bad parameter at once, and cuts a long value short', () => {
    const message = refusal(() => read(`limit=-1&note=${'x'.repeat(500)}`));
    expect(message).toMatch(
      /^q is required: a trace id; note must be at most 8 characters, not "x{99}…"; limit /,
    );
  });

  it('says a check across parameters as it is written', () => {
    const oneOf = z.object({ a: text().optional(), b: text().optional() }).refine((v) => !v.a !== !v.b, {
      message: 'give exactly one of a or b',
    });
    expect(refusal(() => parseSearchParams(new URLSearchParams('a=1&b=2'), oneOf))).toBe(
      'give exactly one of a or b',
    );
  });
});

describe('parseQuery', () => {
  it('reads the query of a request', () => {
    expect(parseQuery(new Request('http://localhost/x?q=abc&limit=3'), query)).toEqual({
      q: 'abc',
      limit: 3,
    });
  });
});

describe('parseBody', () => {
  const body = z.object({ rate: z.number().positive().max(100), ids: z.array(z.string()).min(1) }).strict();
  const post = (text: string) => new Request('http://localhost/x', { method: 'POST', body: text });
  const bodyRefusal = async (text: string) => {
    const error = (await parseBody(post(text), body).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(BadRequestError);
    return error.message;
  };

  it('reads a valid body', async () => {
    expect(await parseBody(post('{"rate":5,"ids":["a"]}'), body)).toEqual({ rate: 5, ids: ['a'] });
  });

  it('refuses what is not JSON, and names each bad field in words that follow its name', async () => {
    expect(await bodyRefusal('{rate')).toBe('the body must be JSON');
    expect(await bodyRefusal('null')).toBe('the body must be an object, not null');
    expect(await bodyRefusal('{"rate":500,"ids":[],"x":1}')).toBe(
      'rate must be at most 100, not 500; ids must not be empty; the body has unknown fields: x',
    );
    expect(await bodyRefusal('{"rate":"fast","ids":["a"]}')).toBe('rate must be a number, not "fast"');
  });
});

describe('decodeSegment', () => {
  it('decodes a percent-encoded id, and refuses a broken encoding with a 400 naming it', () => {
    expect(decodeSegment('kafka%3Aorders.DLT', 'id')).toBe('kafka:orders.DLT');
    expect(refusal(() => decodeSegment('%E0%A4%A', 'id'))).toBe(
      'id must be percent-encoded UTF-8 (encodeURIComponent), not "%E0%A4%A"',
    );
  });
});
