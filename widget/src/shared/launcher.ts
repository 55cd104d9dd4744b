import type { WidgetSettings } from '@beckon/sdk/protocol';
import { applyTheme } from './theme.js';

/**
 * The widget's outer layer and launcher, shared by the loader (real pages) and the dashboard preview.
 * Plain DOM on purpose: this file ends up in `beckon.js`, which carries no framework.
 */

// The launcher's stack; the panel's CSS (ui/styles.ts, `scriptFonts`) adds the fonts for Armenian,
// Ethiopic and Sinhala by name. Until it loads, the launcher's label relies on the browser's own
// per-character fallback, which finds the same system fonts.
const font = 'system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif';

// Only px units: `rem` would follow the host page's root font size. The unread badge's rules are in the
// panel's CSS (ui/styles.ts): only the UI ever fills the badge.
export const launcherCss = `:host{all:initial}
*,*::before,*::after{box-sizing:border-box}
.bk-layer{position:fixed;inset:0;pointer-events:none;container-type:size;font:400 15px/1.45 ${font};color:#1f2937;text-align:left;-webkit-font-smoothing:antialiased;-webkit-text-size-adjust:100%}
.bk-layer.bk-preview{position:absolute}
.bk-layer :where(button){font:inherit;color:inherit;margin:0;padding:0;border:0;background:none;cursor:pointer;text-transform:none;letter-spacing:normal;-webkit-tap-highlight-color:transparent}
.bk-layer :where(svg){display:block;flex:none;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.bk-launcher{pointer-events:auto;position:absolute;bottom:calc(20px + env(safe-area-inset-bottom,0px));right:20px;display:flex;align-items:center;justify-content:center;gap:10px;height:56px;min-width:56px;max-width:calc(100% - 40px);padding:0 22px 0 18px;border-radius:28px;background:var(--bk-accent);color:var(--bk-on-accent);font-weight:600;box-shadow:0 6px 20px rgba(17,24,39,.22),0 1px 3px rgba(17,24,39,.14);transition:transform .15s ease,box-shadow .15s ease}
[data-position=left] .bk-launcher{right:auto;left:20px}
.bk-launcher:hover{transform:translateY(-2px);box-shadow:0 10px 26px rgba(17,24,39,.26),0 2px 4px rgba(17,24,39,.14)}
.bk-launcher:focus-visible{outline:0;box-shadow:0 0 0 3px #fff,0 0 0 6px var(--bk-ink),0 6px 20px rgba(17,24,39,.22)}
.bk-launcher svg{width:24px;height:24px}
.bk-label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.bk-less,[aria-expanded=true] .bk-more{display:none}
[aria-expanded=true] .bk-less{display:block}
.bk-launcher[aria-expanded=true]{width:56px;padding:0}
[aria-expanded=true] .bk-label{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}
@container (max-width:480px){.bk-launcher{right:16px;bottom:calc(16px + env(safe-area-inset-bottom,0px))}[data-position=left] .bk-launcher{left:16px}}
@media (prefers-reduced-motion:reduce){.bk-layer *{transition:none!important;animation:none!important}}
`;

const svg = (className: string, path: string) =>
  `<svg class="${className}" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="${path}"/></svg>`;

// A constant string: the site's label goes in through textContent, never as markup.
const launcherMarkup =
  svg(
    'bk-more',
    'M3 20l1.3-3.9C2 12.66 2.9 8.23 6.4 5.73c3.53-2.5 8.6-2.3 11.85.48 3.25 2.78 3.7 7.27 1.03 10.5-2.67 3.24-7.62 4.22-11.58 2.3L3 20',
  ) +
  svg('bk-less', 'M6 9l6 6 6-6') +
  '<span class="bk-label"></span><span class="bk-badge"></span>';

/**
 * Adds CSS to a shadow root as a constructed stylesheet: CSSOM is not subject to a page's CSP
 * `style-src`, where a `<style>` element would be. Older browsers get the `<style>` element.
 */
export function addStyles(root: ShadowRoot, css: string): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  } catch {
    const style = root.ownerDocument.createElement('style');
    style.textContent = css;
    root.append(style);
  }
}

export interface Shell {
  layer: HTMLDivElement;
  launcher: HTMLButtonElement;
}

/** Puts the styles, the positioned layer and the launcher button into a shadow root. */
export function buildShell(root: ShadowRoot, settings: WidgetSettings, preview = false): Shell {
  const doc = root.ownerDocument;
  addStyles(root, launcherCss);
  const layer = doc.createElement('div');
  layer.className = preview ? 'bk-layer bk-preview' : 'bk-layer';
  const launcher = doc.createElement('button');
  launcher.type = 'button';
  launcher.className = 'bk-launcher';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-haspopup', 'dialog');
  launcher.innerHTML = launcherMarkup;
  layer.append(launcher);
  root.append(layer);
  updateShell({ layer, launcher }, settings);
  return { layer, launcher };
}

export function updateShell(shell: Shell, settings: WidgetSettings): void {
  applyTheme(shell.layer, settings);
  // Screen readers and font fallback follow the language the widget speaks.
  shell.layer.lang = settings.language;
  const label = shell.launcher.querySelector('.bk-label');
  if (label) label.textContent = settings.launcherLabel;
}

/** The unread count on the launcher: the number for the eye, `label` (e.g. "New messages: 2") for screen readers. */
export function setBadge(shell: Shell, count: number, label: string): void {
  const badge = shell.launcher.lastElementChild;
  if (!badge) return;
  badge.replaceChildren();
  if (count > 0) {
    const number = shell.layer.ownerDocument.createElement('span');
    number.setAttribute('aria-hidden', 'true');
    number.textContent = count > 99 ? '99+' : String(count);
    const text = shell.layer.ownerDocument.createElement('span');
    text.className = 'bk-sr';
    text.textContent = label;
    badge.append(number, text);
  }
}
