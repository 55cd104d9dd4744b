import type { EnteredAudience, PixelInstruction } from '@beckon/sdk/protocol';

/** The ad tags a site may have on its page; each is used only when present. */
export interface PixelWindow {
  fbq?: (...args: unknown[]) => void;
  gtag?: (...args: unknown[]) => void;
  ym?: (...args: unknown[]) => void;
  VK?: { Retargeting?: { Init?(id: string): void; Event?(name: string): void } };
}

const image = (url: string) => {
  new Image().src = url;
};

function fire(win: PixelWindow, pixel: PixelInstruction): void {
  switch (pixel.kind) {
    case 'meta':
      // Without the site's own fbq, Meta's documented no-script image pixel (no third-party script loads).
      if (win.fbq) win.fbq('trackCustom', pixel.event);
      else
        image(
          `https://www.facebook.com/tr?id=${encodeURIComponent(pixel.pixelId)}&ev=${encodeURIComponent(pixel.event)}&noscript=1`,
        );
      return;
    case 'gtag':
      win.gtag?.('event', pixel.event, pixel.sendTo ? { send_to: pixel.sendTo } : {});
      return;
    case 'yandex':
      win.ym?.(pixel.counterId, 'reachGoal', pixel.goal);
      return;
    case 'vk':
      win.VK?.Retargeting?.Init?.(pixel.pixelId);
      win.VK?.Retargeting?.Event?.(pixel.event);
      return;
    case 'image':
      // The server filled in the placeholders and URL-encoded them.
      if (/^https:\/\//.test(pixel.url)) image(pixel.url);
  }
}

/**
 * Fires the pixels of audiences the visitor just entered. Loaded lazily, only when the collect answer
 * names audiences — which the server does only for a batch with marketing consent and without GPC;
 * the core checks both again before calling this. A failing tag never stops the others.
 */
export function firePixels(audiences: EnteredAudience[], win: PixelWindow = window as PixelWindow): number {
  let fired = 0;
  for (const audience of audiences) {
    for (const pixel of audience.pixels) {
      try {
        fire(win, pixel);
        fired++;
      } catch {
        // A broken ad tag on the page is the page's problem, not a reason to skip the next pixel.
      }
    }
  }
  return fired;
}
