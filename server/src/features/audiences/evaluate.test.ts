import { describe, expect, it } from 'vitest';
import { fillImageTemplate, pixelInstructions, ruleMatches, type VisitorEvent } from './evaluate.js';

let clock = Date.parse('2026-11-20T10:00:00Z');
const at = () => new Date((clock += 1000));
const view = (path: string): VisitorEvent => ({
  type: 'pageview',
  url: `https://shop.example${path}`,
  name: null,
  props: null,
  occurredAt: at(),
});
const form = (name: string, action: 'start' | 'submit'): VisitorEvent => ({
  type: 'form',
  url: 'https://shop.example/contact',
  name,
  props: { action },
  occurredAt: at(),
});
const signal = (name: string): VisitorEvent => ({ type: 'signal', url: '', name, props: null, occurredAt: at() });

describe('audience rules', () => {
  it('temperature: hot only when hot; warm for warm and hot', () => {
    expect(ruleMatches({ kind: 'temperature', temperature: 'hot' }, 'warm', [])).toBe(false);
    expect(ruleMatches({ kind: 'temperature', temperature: 'hot' }, 'hot', [])).toBe(true);
    expect(ruleMatches({ kind: 'temperature', temperature: 'warm' }, 'hot', [])).toBe(true);
    expect(ruleMatches({ kind: 'temperature', temperature: 'warm' }, 'cold', [])).toBe(false);
  });

  it('viewed pricing without a lead: a chat, callback or form submit is a lead', () => {
    const rule = { kind: 'viewed_without_lead', pattern: '/pricing*' } as const;
    expect(ruleMatches(rule, 'cold', [view('/'), view('/pricing.html')])).toBe(true);
    expect(ruleMatches(rule, 'cold', [view('/')])).toBe(false);
    expect(ruleMatches(rule, 'cold', [view('/pricing.html'), signal('callback_requested')])).toBe(false);
    expect(ruleMatches(rule, 'cold', [view('/pricing.html'), form('newsletter', 'submit')])).toBe(false);
  });

  it('abandoned the callback form: started, left the page, never submitted; or the tracked event', () => {
    const rule = { kind: 'abandoned_form', form: 'callback' } as const;
    expect(ruleMatches(rule, 'cold', [form('callback', 'start'), view('/next')])).toBe(true);
    // Still on the page (no later page event): not abandoned yet.
    expect(ruleMatches(rule, 'cold', [view('/'), form('callback', 'start')])).toBe(false);
    expect(ruleMatches(rule, 'cold', [form('callback', 'start'), form('callback', 'submit'), view('/thanks')])).toBe(
      false,
    );
    expect(ruleMatches(rule, 'cold', [form('other', 'start'), view('/next')])).toBe(false);
    expect(
      ruleMatches(rule, 'cold', [{ type: 'track', url: '', name: 'callback', props: null, occurredAt: at() }]),
    ).toBe(true);
  });

  it('a category viewed at least N times', () => {
    const rule = { kind: 'page_views', pattern: '/shoes/*', min: 3 } as const;
    expect(ruleMatches(rule, 'cold', [view('/shoes/a'), view('/shoes/b'), view('/hats/c')])).toBe(false);
    expect(ruleMatches(rule, 'cold', [view('/shoes/a'), view('/shoes/b'), view('/shoes/a')])).toBe(true);
  });
});

describe('pixel instructions', () => {
  it('fills the image template with URL-encoded values and leaves no placeholder', () => {
    const url = fillImageTemplate('https://px.example/t?a={audience}&s={segment}&v={visitor}&t={ts}&r={rand}', {
      audience: 'Hot & ready',
      segment: 'hot',
      visitor: 'v_1',
      ts: 5,
    });
    expect(url).toMatch(/^https:\/\/px\.example\/t\?a=Hot%20%26%20ready&s=hot&v=v_1&t=5&r=[0-9a-f]{12}$/);
  });

  it('turns every configured pixel into its instruction with the audience’s event name', () => {
    const pixels = pixelInstructions(
      [
        { kind: 'meta', pixelId: '1234567890' },
        { kind: 'gtag', sendTo: 'AW-123456/abc' },
        { kind: 'yandex', counterId: 987654 },
        { kind: 'vk', pixelId: 'VK-RTRG-123-abc' },
      ],
      { segment: 'hot', name: 'Hot', eventName: 'beckon_hot' },
      'v_1',
      0,
    );
    expect(pixels).toEqual([
      { kind: 'meta', pixelId: '1234567890', event: 'beckon_hot' },
      { kind: 'gtag', event: 'beckon_hot', sendTo: 'AW-123456/abc' },
      { kind: 'yandex', counterId: 987654, goal: 'beckon_hot' },
      { kind: 'vk', pixelId: 'VK-RTRG-123-abc', event: 'beckon_hot' },
    ]);
  });
});
