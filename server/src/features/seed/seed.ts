import { count, eq } from 'drizzle-orm';
import {
  defaultConsentSettings,
  defaultWidgetSettings,
  type AudienceInput,
  type ConsentSettings,
} from '@beckon/sdk/protocol';
import type { Config } from '../../config.js';
import type { Db } from '../../db/client.js';
import { agentsTable, audiencesTable, siteMembersTable, sitesTable } from '../../db/schema.js';
import { hashPassword, randomToken } from '../../lib/crypto.js';
import type { Logger } from '../../lib/logger.js';
import { forgetCachedSites } from '../sites/index.js';

/**
 * The demo shop stays lively for `npm start` users: analytics is implied (the stream and scoring run
 * from the first page), marketing still waits for a grant in the prompt. New sites default to `required`.
 */
export const demoConsentSettings: ConsentSettings = { ...defaultConsentSettings, mode: 'implied' };

/** Audiences a marketer would start from on a shop (no pixels configured: those need the site's own ids). */
export const demoAudiences: AudienceInput[] = [
  {
    segment: 'hot',
    name: 'Hot leads',
    rule: { kind: 'temperature', temperature: 'hot' },
    eventName: 'beckon_hot',
    pixels: true,
    enabled: true,
  },
  {
    segment: 'pricing',
    name: 'Viewed pricing, no lead',
    rule: { kind: 'viewed_without_lead', pattern: '*pricing*' },
    eventName: 'beckon_pricing_no_lead',
    pixels: true,
    enabled: true,
  },
  {
    segment: 'callback-abandoned',
    name: 'Abandoned the callback form',
    rule: { kind: 'abandoned_form', form: 'callback' },
    eventName: 'beckon_callback_abandoned',
    pixels: true,
    enabled: true,
  },
  {
    segment: 'product-fan',
    name: 'Viewed products 3+ times',
    rule: { kind: 'page_views', pattern: '*product*', min: 3 },
    eventName: 'beckon_product_fan',
    pixels: true,
    enabled: true,
  },
];

export interface SeedResult {
  /** Present only when this start created the admin: the console prints it once. */
  admin?: { email: string; password: string; generated: boolean };
  demoSiteKey: string;
}

/**
 * On an empty database: the first admin and the demo site. On every start: the demo site allows this
 * server's own origins, so the demo shop it serves can talk to it whatever port it runs on.
 */
export async function seed(db: Db, config: Config, selfOrigins: string[], logger: Logger): Promise<SeedResult> {
  const result: SeedResult = { demoSiteKey: config.BECKON_DEMO_SITE_KEY };
  await db.transaction(async (tx) => {
    const [{ agents } = { agents: 0 }] = await tx.select({ agents: count() }).from(agentsTable);
    let adminId: string | undefined;
    if (agents === 0) {
      const email = config.BECKON_ADMIN_EMAIL ?? 'admin@beckon.local';
      const generated = !config.BECKON_ADMIN_PASSWORD;
      const password = config.BECKON_ADMIN_PASSWORD ?? randomToken(12);
      const [admin] = await tx
        .insert(agentsTable)
        .values({ email, name: 'Admin', role: 'admin', passwordHash: await hashPassword(password) })
        .returning({ id: agentsTable.id });
      adminId = admin!.id;
      result.admin = { email, password, generated };
    }

    const [demo] = await tx.select().from(sitesTable).where(eq(sitesTable.key, config.BECKON_DEMO_SITE_KEY));
    if (!demo) {
      const [site] = await tx
        .insert(sitesTable)
        .values({
          key: config.BECKON_DEMO_SITE_KEY,
          name: 'Demo shop',
          allowedOrigins: selfOrigins,
          template: 'shop',
          widget: defaultWidgetSettings,
          consent: demoConsentSettings,
        })
        .returning({ id: sitesTable.id });
      await tx.insert(audiencesTable).values(demoAudiences.map((audience) => ({ siteId: site!.id, ...audience })));
      if (adminId) await tx.insert(siteMembersTable).values({ siteId: site!.id, agentId: adminId });
      logger.info('demo site created', { siteKey: config.BECKON_DEMO_SITE_KEY });
    } else {
      const missing = selfOrigins.filter((origin) => !demo.allowedOrigins.includes(origin));
      if (missing.length > 0) {
        await tx
          .update(sitesTable)
          .set({ allowedOrigins: [...demo.allowedOrigins, ...missing] })
          .where(eq(sitesTable.id, demo.id));
      }
    }
  });
  forgetCachedSites(db); // the demo site may have gained this node's origins
  return result;
}
