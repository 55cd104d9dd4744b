// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { firePixels, type PixelWindow } from './lazy/pixels.js';
import { createScrollUpDetector, createVisibleClock, scrollDepth } from './tracker.js';

describe('scroll depth', () => {
  it('reports the quarter of the page seen, the bottom of the viewport against the document', () => {
    expect(scrollDepth(0, 800, 4000)).toBe(0); // 20 % seen
    expect(scrollDepth(200, 800, 4000)).toBe(25);
    expect(scrollDepth(1200, 800, 4000)).toBe(50);
    expect(scrollDepth(2200, 800, 4000)).toBe(75);
    expect(scrollDepth(3195, 800, 4000)).toBe(100); // a few sub-pixels short of the bottom
    expect(scrollDepth(0, 800, 800)).toBe(100); // fits the screen: seen whole
  });
});

describe('visible time', () => {
  it('counts only while the tab is in the foreground', () => {
    let now = 0;
    const clock = createVisibleClock(() => now, true);
    now = 3000;
    clock.hide();
    now = 60_000; // a minute in a background tab
    clock.show();
    now = 62_000;
    expect(clock.elapsed()).toBe(5000);
    clock.show(); // a second "visible" changes nothing
    expect(clock.elapsed()).toBe(5000);
  });

  it('starts at zero for a page opened in a background tab', () => {
    let now = 0;
    const clock = createVisibleClock(() => now, false);
    now = 10_000;
    expect(clock.elapsed()).toBe(0);
  });
});

describe('mobile exit intent', () => {
  it('fires on a fast scroll back up after reading down the page, not on slow or shallow scrolling', () => {
    const fast = createScrollUpDetector(() => 800);
    expect(fast(2000, 0)).toBe(false); // read down
    expect(fast(1800, 100)).toBe(false);
    expect(fast(1500, 200)).toBe(true); // 500 px up in 200 ms

    const slow = createScrollUpDetector(() => 800);
    slow(2000, 0);
    expect(slow(1800, 400)).toBe(false);
    expect(slow(1500, 800)).toBe(false); // 300 px per 400 ms windows

    const shallow = createScrollUpDetector(() => 800);
    shallow(500, 0);
    expect(shallow(0, 100)).toBe(false); // never got past the first screen
  });
});

describe('pixels', () => {
  it('fires each kind through the tag the page has, and keeps going past a broken one', () => {
    const win: PixelWindow = {
      fbq: vi.fn(() => {
        throw new Error('broken tag');
      }),
      gtag: vi.fn(),
      ym: vi.fn(),
      VK: { Retargeting: { Init: vi.fn(), Event: vi.fn() } },
    };
    const fired = firePixels(
      [
        {
          segment: 'hot',
          name: 'Hot leads',
          pixels: [
            { kind: 'meta', pixelId: '123456', event: 'BeckonHot' },
            { kind: 'gtag', event: 'beckon_hot', sendTo: 'AW-1/abc' },
            { kind: 'yandex', counterId: 42, goal: 'beckon_hot' },
            { kind: 'vk', pixelId: 'VK-RTRG-1-abc', event: 'beckon_hot' },
          ],
        },
      ],
      win,
    );
    expect(win.fbq).toHaveBeenCalledWith('trackCustom', 'BeckonHot');
    expect(win.gtag).toHaveBeenCalledWith('event', 'beckon_hot', { send_to: 'AW-1/abc' });
    expect(win.ym).toHaveBeenCalledWith(42, 'reachGoal', 'beckon_hot');
    expect(win.VK!.Retargeting!.Event).toHaveBeenCalledWith('beckon_hot');
    expect(fired).toBe(3);
  });

  it('loads image pixels, https only', () => {
    const sources: string[] = [];
    // A function, not an arrow: the pixel code calls `new Image()`, and an arrow cannot be constructed.
    // biome-ignore lint/complexity/useArrowFunction: must stay constructible.
    vi.spyOn(window, 'Image').mockImplementation(function () {
      return {
        set src(value: string) {
          sources.push(value);
        },
      } as HTMLImageElement;
    } as never);
    firePixels(
      [
        {
          segment: 'hot',
          name: 'Hot',
          pixels: [
            { kind: 'image', url: 'https://px.test/hit?a=hot' },
            { kind: 'image', url: 'javascript:alert(1)' },
          ],
        },
      ],
      {},
    );
    firePixels(
      [{ segment: 'hot', name: 'Hot', pixels: [{ kind: 'meta', pixelId: '123456', event: 'BeckonHot' }] }],
      {},
    );
    expect(sources).toEqual([
      'https://px.test/hit?a=hot',
      'https://www.facebook.com/tr?id=123456&ev=BeckonHot&noscript=1',
    ]);
  });
});
