import { devices, expect, test } from '@playwright/test';
import { login } from './support/api.js';
import { desktop, phone } from './support/chat.js';
import { siteInMode } from './support/consent.js';
import { admin, baseURL, demoSiteKey } from './support/env.js';

/**
 * Lead scoring end to end: a visitor browses the demo shop's pricing page, adds a product to the cart
 * and leaves their email and phone; the agent's Visitors page, already open, shows them live turning
 * from cold to hot, and the badge explains why (by mouse and by keyboard).
 */
test('a demo shop visitor appears live on the Visitors page and turns hot, with the reasons', async ({
  page,
  browser,
}, testInfo) => {
  await page.goto('/app/');
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: /^(sign|log) in$/i }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Visitors', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/app/sites/${demoSiteKey}/visitors$`));
  await expect(page.getByRole('banner').getByRole('status')).toHaveText(/^\s*live\s*$/i);
  await page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same document'));

  const marker = `lead${Date.now().toString(36)}`;
  const email = `${marker}@example.test`;
  const visitor = await browser.newContext({ userAgent: devices['Desktop Chrome'].userAgent });
  try {
    const shop = await visitor.newPage();
    await shop.goto(`/demo/pricing.html?ref=${marker}`);
    await expect(shop.locator('beckon-widget')).toHaveCount(1);

    // The pageview is sent at once: the visitor shows up with their page and a cold badge.
    const visitorsTable = page.getByRole('table', { name: /visitors on the site now/i });
    const row = visitorsTable.getByRole('row').filter({ hasText: `/demo/pricing.html?ref=${marker}` });
    await expect(row).toHaveCount(1);
    await expect(row.getByRole('button', { name: /^cold lead, 15 points: Pricing page \+15/i })).toBeVisible();

    // Interest and identity arrive with the next batch; the same row turns hot without a reload.
    await shop.evaluate(
      ({ email }) => {
        const beckon = (window as unknown as { Beckon: (...args: unknown[]) => void }).Beckon;
        beckon('track', 'add-to-cart', { sku: 'teapot' });
        beckon('identify', { email, phone: '+44 20 7946 0000' });
      },
      { email },
    );
    const hotRow = visitorsTable.getByRole('row').filter({ hasText: email });
    const badge = hotRow.getByRole('button', { name: /^hot lead/i });
    await expect(badge).toBeVisible({ timeout: 15_000 });
    await expect(badge).toHaveAccessibleName(/Added to cart \+20.*Pricing page \+15/);

    // The explanation opens on keyboard focus and closes with Escape.
    await badge.focus();
    const popover = hotRow.getByRole('tooltip');
    await expect(popover).toBeVisible();
    await expect(popover).toContainText('Identified with email');
    await expect(popover).toContainText('Added to cart');
    await page.screenshot({ path: testInfo.outputPath('visitors-hot.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await expect(popover).toBeHidden();
    await expect(page.getByRole('group', { name: 'On the site now' })).toContainText(/Hot leads\s*[1-9]/);
    expect(await page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same document');
  } finally {
    await visitor.close();
  }
});

test('the Scoring page keeps a draft: checks it, saves it (rescoring), discards it', async ({ browser, request }) => {
  const { site } = await siteInMode(request, 'implied', 'Test site: scoring settings');
  const context = await browser.newContext(desktop);
  await login(context.request);
  const page = await context.newPage();
  await page.goto(`/app/sites/${site.key}/scoring`);
  const hot = page.getByRole('spinbutton', { name: 'Hot at' });
  const warm = page.getByRole('spinbutton', { name: 'Warm at' });
  const save = page.getByRole('button', { name: 'Save and rescore' });
  const discard = page.getByRole('button', { name: 'Discard changes' });
  await expect(hot).toHaveValue('70');
  await expect(save).toBeDisabled();

  // Checked before sending, beside the field.
  await warm.fill('90');
  await save.click();
  await expect(page.getByText('Warm must be below hot')).toBeVisible();
  await discard.click();
  await expect(warm).toHaveValue('30');
  await expect(page.getByText('Warm must be below hot')).toBeHidden();
  await expect(save).toBeDisabled();

  await hot.fill('80');
  await save.click();
  await expect(page.getByText('Saved. Visitors are being rescored with these rules in the background.')).toBeVisible();
  await expect(save).toBeDisabled();
  // The save answered at once; the rescore finishes in the background and the page hears it live.
  await expect(
    page.getByRole('status').filter({ hasText: /^Rescored \d+ visitors? with the current rules\.$/ }),
  ).toBeVisible();
  await page.reload();
  await expect(hot).toHaveValue('80');
  await context.close();
});

/**
 * Learning end to end: 80 visitors of a fresh site, those who read the contact page mostly won; the
 * admin learns, reviews the cross-validated AUC, the calibration and each rule's confidence, applies the
 * proposal, and watches the background rescore finish. Screenshots at 1280 and 390 px wide.
 */
test('the Scoring page learns from outcomes, shows AUC, calibration and confidence, applies and rescores with progress', async ({
  browser,
  request,
}, testInfo) => {
  // Two passes (desktop, phone), each learning and the first applying and rescoring: 2 min was short on a busy machine.
  test.setTimeout(180_000);
  const { site, headers } = await siteInMode(request, 'implied', 'Test site: scoring learning');
  const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
  const now = Date.now();
  const visitor = async (i: number) => {
    const visitorId = `learner_${i.toString().padStart(4, '0')}`;
    const contact = i % 2 === 0;
    // Half of them browse deep (six more pages no rule scores): a total across visits the fit can propose.
    const deep = i % 4 < 2;
    const paths = [
      '/demo/',
      '/demo/pricing.html',
      ...(contact ? ['/demo/contact.html'] : []),
      ...(deep ? Array.from({ length: 6 }, (_, k) => `/demo/about-${k}.html`) : []),
    ];
    const events = paths.map((path, k) => ({
      id: `${visitorId}_e${k}`,
      type: 'pageview',
      ts: now - 60_000 + k * 1000,
      url: `${baseURL}${path}`,
    }));
    const sent = await request.post('/v1/collect', {
      headers: { origin: baseURL, 'content-type': 'text/plain', 'user-agent': chrome },
      data: JSON.stringify({ site: site.key, visitorId, sessionId: `${visitorId}_s`, events }),
    });
    expect(sent.status(), await sent.text()).toBe(200);
    // Contact readers win 4 times in 5 (all deep ones, 12 of 20 others), the others 14 in 40 (all deep).
    // Deep readers win 34 of 40, the others 12 of 40: strong enough that cross-validation keeps the new
    // rule whatever the folds (the folds are seeded by the site's random id; with 28 of 40 one fold split
    // in five found nothing worth adding, simulated over 300 seeds).
    const j = Math.floor(i / 4);
    const won = [true, j < 14, j % 5 < 3, false][i % 4]!;
    const labelled = await request.put(`/api/sites/${site.id}/visitors/${visitorId}/outcome`, {
      headers,
      data: { outcome: won ? 'won' : 'lost' },
    });
    expect(labelled.status(), await labelled.text()).toBe(200);
  };
  for (let i = 0; i < 80; i += 10) await Promise.all(Array.from({ length: 10 }, (_, k) => visitor(i + k)));

  for (const [name, device] of [
    ['desktop', { viewport: { width: 1280, height: 900 } }],
    ['phone', phone],
  ] as const) {
    const context = await browser.newContext(device);
    await login(context.request);
    const page = await context.newPage();
    await page.goto(`/app/sites/${site.key}/scoring`);
    await expect(page.getByRole('spinbutton', { name: 'Hot at' })).toHaveValue('70');
    await page.screenshot({ path: testInfo.outputPath(`scoring-${name}.png`), fullPage: true });
    // Nothing is wider than the screen (a wide table made phones zoom the whole page out).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(device.viewport.width);
    await page.getByRole('button', { name: 'Learn', exact: true }).click();

    const aucs = page.getByRole('group', { name: /AUC/ });
    await expect(aucs).toContainText('Learnt points');
    await expect(page.getByText(/5-fold cross-validation/)).toBeVisible();
    const calibration = page.getByRole('table', { name: /Calibration/ });
    await expect(calibration.getByRole('row')).toHaveCount(3); // a header and two buckets of 40
    const proposal = page.getByRole('table', { name: /Proposed points/ });
    const contactRow = proposal.getByRole('row').filter({ hasText: 'Contact page' });
    await expect(contactRow).toContainText(/40 \(32 won\)/);
    await expect(contactRow).toContainText(/High|Medium|Low/);
    await expect(contactRow).toContainText('±');
    // No labelled visitor added to the cart: that rule waits for data; every one read pricing: no contrast.
    await expect(page.getByText(/^Not enough data \(fewer than 20 labelled visitors/).locator('..')).toContainText(
      'Added to cart (0)',
    );
    await expect(page.getByText(/^Hit by all alike/).locator('..')).toContainText('Pricing page');
    await page.screenshot({ path: testInfo.outputPath(`scoring-learn-${name}.png`), fullPage: true });
    await page
      .locator('section[aria-labelledby="learn-title"]')
      .screenshot({ path: testInfo.outputPath(`scoring-learn-card-${name}.png`) });
    await page
      .getByRole('table', { name: 'Scoring rules' })
      .getByRole('row')
      .nth(9)
      .screenshot({ path: testInfo.outputPath(`scoring-rule-${name}.png`) });

    if (name === 'desktop') {
      // A new rule found in the totals across visits, with its points and evidence, ticked to be added.
      // (The phone pass comes after it was added: then it is one of the site's rules, not a new one.)
      const newRules = page.getByRole('table', { name: /New rules the fit found/ });
      const pagesRule = newRules
        .getByRole('row')
        .filter({ hasText: /pages, all visits/i })
        .first();
      await expect(pagesRule).toContainText(/\+\d+/);
      await expect(pagesRule).toContainText(/High|Medium|Low/);
      const tick = pagesRule.getByRole('checkbox', { name: /^Add the rule/ });
      const addedLabel = ((await tick.getAttribute('aria-label')) ?? '').replace(/^Add the rule “|”$/g, '');
      await newRules.screenshot({ path: testInfo.outputPath(`scoring-new-rules-${name}.png`) });
      await tick.check();
      await page.getByRole('button', { name: 'Apply learnt points' }).click();
      await expect(
        page.getByText('Applied the learnt points. Visitors are being rescored in the background.'),
      ).toBeVisible();
      const progress = page.getByRole('status').filter({ hasText: /Rescor/ });
      await expect(progress).toBeVisible();
      await expect(progress).toHaveText(/^Rescored 80 visitors with the current rules\.$/);
      await page.screenshot({ path: testInfo.outputPath('scoring-applied-desktop.png'), fullPage: true });
      // Stored: the editor shows the learnt points after a reload.
      const applied = (await (await context.request.get(`/api/sites/${site.id}/scoring`)).json()) as {
        settings: { rules: { id: string; label: string; points: number; condition: { kind: string } }[] };
        job: { status: string; done: number; total: number };
      };
      expect(applied.job).toMatchObject({ status: 'done', done: 80, total: 80 });
      expect(applied.settings.rules.find((rule) => rule.id === 'contact')!.points).toBeGreaterThan(10);
      // The accepted rule was added after the others, labelled with its condition, and scores from now on.
      const added = applied.settings.rules.at(-1)!;
      expect(added).toMatchObject({ label: addedLabel, condition: { kind: 'total' } });
      expect(added.points).not.toBe(0);
      await expect(page.getByRole('table', { name: 'Scoring rules' }).getByRole('row').last()).toBeVisible();
    }
    await context.close();
  }
});

/** Hot as "the top N % of recent visitors": the admin picks percentages, the points are computed and shown. */
test('the Scoring page sets hot and warm as shares of recent visitors and shows the computed points', async ({
  browser,
  request,
}, testInfo) => {
  // Two passes (desktop, phone), the first saving and rescoring: 16 s alone, 35 s on a CI machine at load 8–9.
  test.setTimeout(90_000);
  const { site } = await siteInMode(request, 'implied', 'Test site: scoring percent');
  const chrome = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
  const now = Date.now();
  // Ten visitors reading 1…10 product pages: their scores spread out.
  for (let i = 1; i <= 10; i++) {
    const visitorId = `share_${i.toString().padStart(3, '0')}`;
    const events = Array.from({ length: i }, (_, k) => ({
      id: `${visitorId}_e${k}`,
      type: 'pageview',
      ts: now - 60_000 + k * 1000,
      url: `${baseURL}/demo/product-${k}.html`,
    }));
    const sent = await request.post('/v1/collect', {
      headers: { origin: baseURL, 'content-type': 'text/plain', 'user-agent': chrome },
      data: JSON.stringify({ site: site.key, visitorId, sessionId: `${visitorId}_s`, events }),
    });
    expect(sent.status(), await sent.text()).toBe(200);
  }
  for (const [name, device] of [
    ['desktop', { viewport: { width: 1280, height: 800 } }],
    ['phone', phone],
  ] as const) {
    const context = await browser.newContext(device);
    await login(context.request);
    const page = await context.newPage();
    await page.goto(`/app/sites/${site.key}/scoring`);
    if (name === 'desktop') {
      await page.getByRole('radio', { name: 'Share of recent visitors' }).check();
      await expect(page.getByRole('spinbutton', { name: 'Hot at' })).toBeHidden();
      const hotShare = page.getByRole('spinbutton', { name: 'Hot: the top' });
      await hotShare.fill('60');
      await page.getByRole('button', { name: 'Save and rescore' }).click();
      await expect(page.getByText('A whole number from 1 to 50')).toBeVisible();
      await hotShare.fill('20');
      await page.getByRole('button', { name: 'Save and rescore' }).click();
      await expect(
        page.getByRole('status').filter({ hasText: /^Rescored \d+ visitors? with the current rules\.$/ }),
      ).toBeVisible();
    }
    // Computed after the rescore: two of the ten visitors are hot.
    const computed = page.getByTestId('computed-thresholds');
    await expect(computed).toContainText(/Now: hot from \d+ points, warm from \d+ \(computed from 10 visitors\)/);
    const scoring = (await (await context.request.get(`/api/sites/${site.id}/scoring`)).json()) as {
      settings: { hot: number; hotPercent: number; thresholdMode: string };
      thresholds: { hot: number; visitors: number };
    };
    expect(scoring.settings).toMatchObject({ thresholdMode: 'percent', hotPercent: 20, hot: scoring.thresholds.hot });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(device.viewport.width);
    await page.screenshot({ path: testInfo.outputPath(`scoring-percent-${name}.png`), fullPage: true });
    await context.close();
  }
});
