import type { WidgetLanguage, WidgetSettings } from '@beckon/sdk/protocol';
import { render } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';
import { addStyles, buildShell, updateShell, type Shell } from '../shared/launcher.js';
import { Home } from './Home.js';
import { widgetIn } from './site-texts.js';
import { panelCss } from './styles.js';

export interface WidgetPreviewProps {
  settings: WidgetSettings;
  open: boolean;
  /** Show the site's texts and the widget's words in this language (default: the site's own). */
  language?: WidgetLanguage;
  /** Class for the preview box; give it a size (it fills its parent by default, at least 480 px tall). */
  class?: string;
}

const noop = () => {};

/**
 * A true live preview for the dashboard's Appearance page: the same launcher, panel and styles as on a
 * visitor's page, in a shadow root of its own, laid out inside this box instead of the viewport. Boxes
 * 480 px wide or narrower show the phone layout. It is inert: a picture of the widget, not a second one.
 */
export function WidgetPreview({ settings: given, open, language, class: className }: WidgetPreviewProps) {
  const settings = widgetIn(given, language ?? given.language);
  const hostRef = useRef<HTMLDivElement>(null);
  const partsRef = useRef<{ shell: Shell; container: HTMLDivElement }>();

  useLayoutEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
    const shell = buildShell(root, settings, true);
    addStyles(root, panelCss);
    const container = root.ownerDocument.createElement('div');
    shell.layer.append(container);
    partsRef.current = { shell, container };
    return () => {
      render(null, container);
      root.replaceChildren();
      root.adoptedStyleSheets = [];
      partsRef.current = undefined;
    };
  }, []);

  useLayoutEffect(() => {
    const parts = partsRef.current;
    if (!parts) return;
    updateShell(parts.shell, settings);
    parts.shell.launcher.setAttribute('aria-expanded', String(open));
    render(open ? <Home settings={settings} onClose={noop} onChoose={noop} /> : null, parts.container);
  }, [given, language, open]);

  // Inline styles win over the shadow root's `:host { all: initial }`, which resets everything else.
  return (
    <div
      ref={hostRef}
      class={className}
      inert
      aria-hidden="true"
      style={{
        display: 'block',
        position: 'relative',
        width: '100%',
        height: '100%',
        minHeight: '480px',
        overflow: 'hidden',
      }}
    />
  );
}
