import { describe, expect, it } from 'vitest';
import { insertCanned, searchCanned, slashQuery, unknownShortcuts } from './canned';

const list = [
  { id: '1', shortcut: 'shipping', text: 'We ship within 2 days.' },
  { id: '2', shortcut: 'ship', text: 'Shipping is free over 50 €.' },
  { id: '3', shortcut: 'refund', text: 'Refunds take 5 days; see the shipping page too.' },
  { id: '4', shortcut: 'hello', text: 'Hi! How can I help?' },
];

describe('slashQuery', () => {
  it('finds a /word at the start or after whitespace, up to the caret', () => {
    expect(slashQuery('/sh', 3)).toEqual({ start: 0, end: 3, query: 'sh' });
    expect(slashQuery('Thanks! /ref', 12)).toEqual({ start: 8, end: 12, query: 'ref' });
    expect(slashQuery('line one\n/', 10)).toEqual({ start: 9, end: 10, query: '' });
  });

  it('ignores slashes inside words, URLs and paths', () => {
    expect(slashQuery('and/or', 6)).toBeNull();
    expect(slashQuery('https://x.test/a', 16)).toBeNull();
    expect(slashQuery('/a b', 4)).toBeNull();
    expect(slashQuery('/a.b', 4)).toBeNull();
  });
});

describe('searchCanned', () => {
  it('ranks exact shortcut, prefix, substring, then text matches', () => {
    expect(searchCanned(list, 'ship').map((c) => c.shortcut)).toEqual(['ship', 'shipping', 'refund']);
    expect(searchCanned(list, 'FUND').map((c) => c.shortcut)).toEqual(['refund']);
    expect(searchCanned(list, 'help').map((c) => c.shortcut)).toEqual(['hello']);
  });

  it('lists everything by shortcut for an empty query, up to the limit', () => {
    expect(searchCanned(list, '').map((c) => c.shortcut)).toEqual(['hello', 'refund', 'ship', 'shipping']);
    expect(searchCanned(list, '', 2)).toHaveLength(2);
    expect(searchCanned(list, 'zzz')).toEqual([]);
  });
});

describe('insertCanned', () => {
  it('replaces the /query with the text and puts the caret after it', () => {
    const value = 'Hi! /shi and more';
    const slash = slashQuery(value, 8)!;
    expect(insertCanned(value, slash, 'We ship fast.')).toEqual({ value: 'Hi! We ship fast. and more', caret: 17 });
  });
});

describe('unknownShortcuts', () => {
  const saved = [
    { id: '1', shortcut: 'shipping', text: 'We ship in 2 days.' },
    { id: '2', shortcut: 'hi', text: 'Hello!' },
  ];
  it('finds the /words that name no canned response, once each', () => {
    expect(unknownShortcuts('/ship', saved)).toEqual(['/ship']);
    expect(unknownShortcuts('Sure /ship. And /ship again, /refund!', saved)).toEqual(['/ship', '/refund']);
  });
  it('leaves known shortcuts, paths inside words and URLs alone', () => {
    expect(unknownShortcuts('/shipping /HI', saved)).toEqual([]);
    expect(unknownShortcuts('See https://shop.example/ship and and/or 1/2', saved)).toEqual([]);
  });
});
