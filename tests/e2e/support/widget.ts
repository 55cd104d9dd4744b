import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import { demoSiteKey } from './env.js';

/** The demo site's public config: the texts the widget shows come from here. */
export async function demoConfig(request: APIRequestContext): Promise<PublicSiteConfig> {
  const response = await request.get(`/v1/sites/${demoSiteKey}/config`);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as PublicSiteConfig;
}

/**
 * The widget's parts as a visitor (or a screen reader) finds them. They live in the open shadow root
 * of `<beckon-widget>`, which Playwright's locators pierce.
 */
export function widget(page: Page, config: PublicSiteConfig) {
  const host = page.locator('beckon-widget');
  return {
    host,
    launcher: host.getByRole('button', { name: config.widget.launcherLabel }),
    panel: host.getByRole('dialog', { name: config.widget.texts.title }),
  };
}

/** True when `locator`'s element is the focused element, looking through shadow roots. */
export async function hasFocus(locator: Locator): Promise<boolean> {
  return locator.evaluate(
    (element) => (element.getRootNode() as Document | ShadowRoot).activeElement === element && document.hasFocus(),
  );
}
