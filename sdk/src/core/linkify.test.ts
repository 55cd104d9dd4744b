import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from './linkify.js';

const links = (text: string) => linkify(text).filter((s) => s.type === 'link');

describe('linkify', () => {
  it('splits text and links, keeping every character', () => {
    const text = 'See https://example.com/a?b=1 and www.shop.test/x, thanks!';
    const segments = linkify(text);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    expect(links(text)).toEqual([
      { type: 'link', text: 'https://example.com/a?b=1', href: 'https://example.com/a?b=1' },
      { type: 'link', text: 'www.shop.test/x', href: 'https://www.shop.test/x' },
    ]);
  });

  it('leaves trailing punctuation and unbalanced brackets out of the link', () => {
    expect(links('(see https://example.com/page).')[0]!.text).toBe('https://example.com/page');
    expect(links('https://en.wikipedia.org/wiki/Foo_(bar)')[0]!.text).toBe('https://en.wikipedia.org/wiki/Foo_(bar)');
    expect(links('Go to https://x.test!!')[0]!.text).toBe('https://x.test');
  });

  it('never makes javascript:, data: or other schemes into links', () => {
    for (const text of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:x',
      'file:///etc/passwd',
    ]) {
      expect(links(text)).toEqual([]);
      expect(linkify(text)).toEqual([{ type: 'text', text }]);
    }
    // Even embedded after a real-looking prefix.
    expect(links('xhttps://evil.test')).toEqual([]);
    expect(links('javascript://www.example.com/%0aalert(1)')).toEqual([]);
  });

  it('produces text, not markup: HTML stays literal text', () => {
    const text = '<img src=x onerror=alert(1)> <a href="javascript:alert(1)">click</a> https://ok.test/"><script>';
    const segments = linkify(text);
    expect(segments.map((s) => s.text).join('')).toBe(text);
    for (const segment of segments) {
      if (segment.type === 'link') {
        expect(segment.href).toMatch(/^https?:\/\//);
        expect(segment.href).not.toMatch(/[<>"]/);
      }
    }
    expect(links(text).map((l) => l.text)).toEqual(['https://ok.test/']);
  });

  it('handles plain text, empty text and bare www.', () => {
    expect(linkify('')).toEqual([]);
    expect(linkify('no links here')).toEqual([{ type: 'text', text: 'no links here' }]);
    expect(links('www. is not a link')).toEqual([]);
  });
});

describe('safeHref', () => {
  it('accepts only http(s) URLs with a host', () => {
    expect(safeHref('https://shop.test/p?a=1')).toBe('https://shop.test/p?a=1');
    expect(safeHref('www.shop.test')).toBe('https://www.shop.test/');
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref(' javascript:alert(1)')).toBeNull();
    expect(safeHref('not a url')).toBeNull();
    expect(safeHref('mailto:a@b.c')).toBeNull();
  });
});

describe('linkify, as the widget did it', () => {
  it('links http(s) and www. in a sentence and keeps the sentence punctuation out', () => {
    const text = 'See https://shop.example/help?q=1, or www.example.org/faq. javascript:alert(1) stays text.';
    expect(links(text).map((l) => [l.text, l.href])).toEqual([
      ['https://shop.example/help?q=1', 'https://shop.example/help?q=1'],
      ['www.example.org/faq', 'https://www.example.org/faq'],
    ]);
    expect(
      linkify(text)
        .map((s) => s.text)
        .join(''),
    ).toBe(text);
  });

  it('keeps quotes and closing brackets of the sentence out of the link', () => {
    expect(links(`"https://x.test/a" and 'www.y.test'`).map((l) => l.text)).toEqual(['https://x.test/a', 'www.y.test']);
    expect(links('[https://x.test/a] {www.y.test}').map((l) => l.text)).toEqual(['https://x.test/a', 'www.y.test']);
  });

  it('does not link inside an e-mail address or another word', () => {
    expect(links('write to sales@www.shop.test')).toEqual([]);
    expect(links('foohttps://x.test')).toEqual([]);
  });
});
