import { describe, expect, it } from 'vitest';
import { embedSnippet, queueStub, queueStubSnippet } from './snippet';

describe('embedSnippet', () => {
  it('matches the public contract', () => {
    expect(embedSnippet('https://beckon.example.com', 'demo')).toBe(
      '<script async src="https://beckon.example.com/beckon.js" data-site="demo"></script>',
    );
  });

  it('keeps the attribute well-formed whatever the key', () => {
    expect(embedSnippet('http://localhost:3000', 'a"b')).toContain('data-site="a&quot;b"');
  });
});

describe('queue stub', () => {
  it('is the documented one-liner and queues calls', () => {
    expect(queueStub).toBe('window.Beckon=window.Beckon||function(){(Beckon.q=Beckon.q||[]).push(arguments)}');
    expect(queueStubSnippet()).toBe(`<script>${queueStub}</script>`);
    // Run it the way a page does: `Beckon` is the same object as `window.Beckon`.
    const queued = new Function(
      `var window = {}; ${queueStub}; var Beckon = window.Beckon; Beckon('track', 'x', { a: 1 }); Beckon('open', 'chat'); return Beckon.q.map(function (args) { return Array.from(args); });`,
    )();
    expect(queued).toEqual([
      ['track', 'x', { a: 1 }],
      ['open', 'chat'],
    ]);
  });
});
