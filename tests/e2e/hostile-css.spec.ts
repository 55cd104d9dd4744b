import { expect, test, type Page } from '@playwright/test';
import type { PublicSiteConfig } from '@beckon/sdk/protocol';
import { holdLoader, openFixture } from './support/fixtures.js';
import { demoConfig, widget } from './support/widget.js';

let config: PublicSiteConfig;

test.beforeAll(async ({ request }) => {
  config = await demoConfig(request);
});

test('on a page with hostile CSS the launcher still shows, takes the click and opens a styled panel', async ({
  page,
}, testInfo) => {
  await openFixture(page, 'hostile.html');
  const { host, launcher, panel } = widget(page, config);

  // `div { display: none !important }` would hide a div host; the widget uses its own element.
  expect(await host.evaluate((element) => element.tagName.toLowerCase())).toBe('beckon-widget');
  await expect(launcher).toBeVisible();
  await expect(launcher).toBeInViewport({ ratio: 1 });
  const button = (await launcher.boundingBox())!;
  expect(button.height, 'a 4px root font size must not shrink the launcher').toBeGreaterThanOrEqual(44);

  // A real click: Playwright refuses it if an overlay of the page would receive it instead.
  await launcher.click();
  await expect(panel).toBeVisible();
  await expect(panel).toContainText(config.widget.texts.greeting);
  await expect(panel.getByRole('button', { name: config.widget.texts.chat })).toBeVisible();
  const box = (await panel.boundingBox())!;
  expect(box.width, 'px-based panel width survives the page CSS').toBeGreaterThanOrEqual(300);

  // The page's inherited text styles (uppercase, serif, letter-spacing, lime !important) stop at the widget.
  const greeting = panel.getByText(config.widget.texts.greeting);
  const style = await greeting.evaluate((element) => {
    const computed = getComputedStyle(element);
    return {
      textTransform: computed.textTransform,
      letterSpacing: computed.letterSpacing,
      fontSize: computed.fontSize,
      color: computed.color,
      fontFamily: computed.fontFamily,
      display: computed.display,
    };
  });
  expect(style.textTransform).toBe('none');
  expect(style.letterSpacing).toBe('normal');
  expect(style.display).toBe('block');
  expect(style.color).not.toBe('rgb(0, 255, 0)');
  expect(style.fontFamily).not.toMatch(/georgia/i);
  expect(Number.parseFloat(style.fontSize)).toBeGreaterThanOrEqual(13);
  await page.screenshot({ path: testInfo.outputPath('hostile-panel-open.png') });

  await page.keyboard.press('Escape');
  await expect(panel).toBeHidden();
});

/** Everything about the host page a widget could disturb: computed styles, style sheets, body children. */
async function hostSnapshot(page: Page, selectors: string[]) {
  return page.evaluate((selectors) => {
    const styles: Record<string, Record<string, string>> = {};
    for (const selector of selectors) {
      const element = document.querySelector(selector);
      if (!element) throw new Error(`fixture has no ${selector}`);
      const computed = getComputedStyle(element);
      const values: Record<string, string> = {};
      for (let i = 0; i < computed.length; i++) {
        const name = computed.item(i);
        values[name] = computed.getPropertyValue(name);
      }
      styles[selector] = values;
    }
    return {
      styles,
      styleSheets: document.styleSheets.length,
      adoptedStyleSheets: document.adoptedStyleSheets.length,
      headChildren: Array.from(document.head.children, (child) => child.tagName.toLowerCase()),
      bodyChildren: Array.from(document.body.children, (child) => child.tagName.toLowerCase()),
    };
  }, selectors);
}

const leakCases = [
  {
    fixture: 'hostile.html',
    selectors: ['html', 'body', '#host-paragraph', '#host-button', '#host-div', '#overlay-left'],
  },
  {
    fixture: 'plain.html',
    selectors: [
      'html',
      'body',
      '#host-heading',
      '#host-paragraph',
      '#host-link',
      '#host-div',
      '#host-button',
      '#host-input',
      '#host-list li',
    ],
  },
];

for (const { fixture, selectors } of leakCases) {
  test(`the widget's styles do not leak into the host page (${fixture})`, async ({ page }) => {
    const loader = await holdLoader(page);
    await openFixture(page, fixture, { waitUntil: 'domcontentloaded' });
    const before = await hostSnapshot(page, selectors);

    loader.release();
    const { launcher, panel } = widget(page, config);
    await launcher.click();
    await expect(panel).toBeVisible();
    // Let the panel's entrance animation finish, so nothing is mid-transition.
    await page.waitForTimeout(300);
    const after = await hostSnapshot(page, selectors);

    expect(after.styles).toEqual(before.styles);
    expect(after.styleSheets, 'no style sheet added to the document').toBe(before.styleSheets);
    expect(after.adoptedStyleSheets).toBe(before.adoptedStyleSheets);
    expect(after.headChildren).toEqual(before.headChildren);
    expect(after.bodyChildren).toEqual([...before.bodyChildren, 'beckon-widget']);
  });
}
