// The launcher's DOM and styles, and the theme maths, as a chunk the loader imports while it fetches
// the site config (both are needed at the same moment), so they cost `beckon.js` nothing.
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import type { UiHandle } from '../../shared/contract.js';
import type { WidgetSettings } from '@beckon/sdk/protocol';
import { buildShell, updateShell, type Shell } from '../../shared/launcher.js';
export { setBadge } from '../../shared/launcher.js';

/**
 * `Beckon('language', tag)` after the launcher is up: the site config again, in that language (the
 * server localizes it: see the README's *Languages*), shown on the launcher and the panel.
 */
export async function relocalize(
  url: string,
  tag: string,
  current: PublicSiteConfig,
  shell: Shell,
  ui?: UiHandle,
): Promise<PublicSiteConfig> {
  try {
    const response = await fetch(`${url}?lang=${encodeURIComponent(tag)}`, { credentials: 'omit' });
    const config = (await response.json()) as PublicSiteConfig;
    if (!response.ok || !config?.widget?.texts) return current;
    updateShell(shell, config.widget);
    ui?.update?.(config);
    return config;
  } catch {
    return current; // offline: the widget keeps its language
  }
}
export { resumable } from '../../shared/chat-storage.js';

/**
 * Inline `!important` beats every author rule on the host page, including `* { all: unset }` and rules
 * aimed at the element itself; the custom tag name keeps `div`/`button` selectors off it entirely.
 * Set through `style.cssText` (CSSOM), which a strict CSP `style-src` allows, unlike a style attribute.
 */
export const hostStyle =
  'all:initial!important;display:block!important;position:fixed!important;top:0!important;left:0!important;' +
  'width:0!important;height:0!important;z-index:2147483647!important';
export { keepalive, live } from './keepalive.js';

/**
 * The `<beckon-widget>` host (not yet in the page), its shadow root and the launcher in it, wired to
 * `toggle` on click and to `prefetch` when the pointer or focus arrives (intent: fetch the UI early).
 * Here rather than in the loader, which keeps only what it needs before the config answers.
 */
export function mountShell(
  settings: WidgetSettings,
  toggle: () => void,
  prefetch: () => void,
): [HTMLElement, ShadowRoot, Shell] {
  const host = document.createElement('beckon-widget');
  host.style.cssText = hostStyle;
  const root = host.attachShadow({ mode: 'open' });
  const shell = buildShell(root, settings);
  const { launcher } = shell;
  launcher.addEventListener('click', toggle);
  launcher.addEventListener('pointerenter', prefetch);
  launcher.addEventListener('focus', prefetch);
  return [host, root, shell];
}
