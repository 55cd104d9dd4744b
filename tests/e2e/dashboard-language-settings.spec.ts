import { expect, test, type Browser } from '@playwright/test';
import { login } from './support/api.js';
import { desktop } from './support/chat.js';
import { demoSiteKey } from './support/env.js';

/**
 * The settings pages in the agent's language: the dashboard reads the language chosen on this browser
 * (`beckon.dashboard.language`) before its first paint, so Routing, Webhooks, Triggers and Install open
 * in Latvian (Latin with diacritics) and Amharic (Ethiopic script) with their headings, labels and
 * table headers translated, and no English left in those places.
 */
const pages = {
  lv: {
    routing: {
      heading: 'Maršrutēšana',
      texts: ['Komandas', 'Noteikumi', 'Neatbildētas tērzēšanas', 'Nodot citam pēc', 'Saglabāt maršrutēšanu'],
    },
    webhooks: { heading: 'Tīmekļa āķi', texts: ['Pievienot galapunktu'] },
    triggers: {
      heading: 'Trigeri',
      texts: ['Jauns trigeris', 'Kad izpildās visi šie nosacījumi', 'Nodoms aiziet', 'Laiks lapā', 'Pievienot trigeri'],
    },
    install: {
      heading: 'Uzstādīšana',
      texts: ['Pievienojiet kodu', 'Atļaujiet savu vietni', 'Pārbaudiet, vai darbojas', 'Vietnes dati', 'Kopēt kodu'],
    },
  },
  am: {
    routing: { heading: 'ማዘዋወር', texts: ['ቡድኖች', 'ደንቦች', 'ያልተመለሱ ውይይቶች', 'እንደገና መድብ', 'ማዘዋወሩን አስቀምጥ'] },
    webhooks: { heading: 'ዌብሁኮች', texts: ['አድራሻ አክል'] },
    triggers: { heading: 'ቀስቅሴዎች', texts: ['አዲስ ቀስቅሴ', 'እነዚህ ሁሉ ሲሟሉ', 'የመውጣት ፍላጎት', 'በገጹ ላይ ያለ ጊዜ', 'ቀስቅሴ አክል'] },
    install: { heading: 'መጫን', texts: ['ኮዱን ያክሉ', 'ድረ-ገጽዎን ይፍቀዱ', 'መሥራቱን ያረጋግጡ', 'የድረ-ገጽ ዝርዝሮች', 'ኮዱን ቅዳ'] },
  },
} as const;

const english = {
  routing: ['Save routing', 'Unanswered chats', 'Reassign after'],
  webhooks: ['Add endpoint'],
  triggers: ['When all of these hold', 'Add trigger', 'Time on page'],
  install: ['Add the snippet', 'Allow your website', 'Check it works'],
} as const;

async function dashboardIn(browser: Browser, language: string) {
  const context = await browser.newContext(desktop);
  await login(context.request);
  await context.addInitScript((chosen) => localStorage.setItem('beckon.dashboard.language', chosen), language);
  return { context, page: await context.newPage() };
}

for (const language of ['lv', 'am'] as const) {
  test(`Routing, Webhooks, Triggers and Install speak ${language}`, async ({ browser }) => {
    test.setTimeout(60_000);
    const { context, page } = await dashboardIn(browser, language);
    for (const section of ['routing', 'webhooks', 'triggers', 'install'] as const) {
      const expected = pages[language][section];
      await page.goto(`/app/sites/${demoSiteKey}/${section}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(expected.heading);
      await expect(page.locator('html')).toHaveAttribute('lang', language);
      const main = page.locator('main');
      // Substrings: a step heading reads "1" + its title.
      for (const text of expected.texts) await expect(main.getByText(text).first()).toBeVisible();
      for (const text of english[section]) await expect(main.getByText(text)).toHaveCount(0);
    }
    // A label that names a control is translated too, so screen readers speak the same language.
    await page.goto(`/app/sites/${demoSiteKey}/triggers`);
    await expect(page.getByRole('textbox', { name: language === 'lv' ? 'Nosaukums' : 'ስም' })).toBeVisible();
    await context.close();
  });
}
