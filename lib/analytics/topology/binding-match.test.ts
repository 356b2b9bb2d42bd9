import { describe, expect, it } from 'vitest';
import { bindingMatches, topicMatches } from './binding-match';

describe('topicMatches', () => {
  it('matches words exactly and * as exactly one word', () => {
    expect(topicMatches('order.created', 'order.created')).toBe(true);
    expect(topicMatches('order.created', 'order.paid')).toBe(false);
    expect(topicMatches('order.*', 'order.created')).toBe(true);
    expect(topicMatches('order.*', 'order')).toBe(false);
    expect(topicMatches('order.*', 'order.created.eu')).toBe(false);
    expect(topicMatches('*.created', 'order.created')).toBe(true);
    expect(topicMatches('*', '')).toBe(false);
  });

  it('matches # as zero or more words, anywhere in the pattern', () => {
    expect(topicMatches('order.#', 'order')).toBe(true);
    expect(topicMatches('order.#', 'order.created')).toBe(true);
    expect(topicMatches('order.#', 'order.created.eu')).toBe(true);
    expect(topicMatches('order.#', 'payment.created')).toBe(false);
    expect(topicMatches('#', '')).toBe(true);
    expect(topicMatches('#', 'a.b.c')).toBe(true);
    expect(topicMatches('#.eu', 'order.created.eu')).toBe(true);
    expect(topicMatches('#.eu', 'eu')).toBe(true);
    expect(topicMatches('order.#.eu', 'order.eu')).toBe(true);
    expect(topicMatches('order.#.eu', 'order.created.paid.eu')).toBe(true);
    expect(topicMatches('order.#.eu', 'order.created.us')).toBe(false);
    expect(topicMatches('#.*', '')).toBe(false);
    expect(topicMatches('#.*', 'a')).toBe(true);
  });

  it('keeps empty words (a.., .a) as words', () => {
    expect(topicMatches('a.*.b', 'a..b')).toBe(true);
    expect(topicMatches('*.a', '.a')).toBe(true);
  });

  it('stays fast on patterns with many #', () => {
    const key = Array.from({ length: 60 }, () => 'w').join('.');
    expect(topicMatches('#.#.#.#.#.#.#.#.x', key)).toBe(false);
  });
});

describe('bindingMatches', () => {
  it('direct: the binding key equals the routing key', () => {
    expect(bindingMatches('direct', 'payments', 'payments')).toBe(true);
    expect(bindingMatches('direct', 'payments', 'payments.eu')).toBe(false);
    expect(bindingMatches('direct', 'order.*', 'order.created')).toBe(false);
  });

  it('fanout: every binding, whatever the keys', () => {
    expect(bindingMatches('fanout', 'anything', 'else')).toBe(true);
    expect(bindingMatches('fanout', '', '')).toBe(true);
  });

  it('topic: by pattern', () => {
    expect(bindingMatches('topic', 'order.*', 'order.created')).toBe(true);
    expect(bindingMatches('topic', 'order.*', 'order.created.eu')).toBe(false);
  });

  it('headers and plugin types: unknown (they match on what the graph does not see)', () => {
    expect(bindingMatches('headers', '', 'order.created')).toBe('unknown');
    expect(bindingMatches('x-consistent-hash', '10', 'k')).toBe('unknown');
  });
});
