// Every minute: pull new and changed leads into the "CRM" (here: printed and kept in crm-state.json),
// give each new one a CRM id, and push back the outcomes the sales team recorded in outcomes.json.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createCrmSync } from './crm-sync.mjs';

const {
  BECKON_URL = 'http://localhost:3000',
  BECKON_API_KEY,
  BECKON_SITE_ID,
  STATE_FILE = 'crm-state.json',
  OUTCOMES_FILE = 'outcomes.json',
  EVERY_MS = '60000',
} = process.env;
if (!BECKON_API_KEY || !BECKON_SITE_ID) {
  console.error('Set BECKON_API_KEY (bk_live_…, scopes leads:read, leads:write, outcomes:write) and BECKON_SITE_ID.');
  process.exit(1);
}

const sync = createCrmSync({ baseUrl: BECKON_URL, apiKey: BECKON_API_KEY, siteId: BECKON_SITE_ID });
const load = (file, fallback) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : fallback);

async function round() {
  const state = load(STATE_FILE, { cursor: null, next: 1 });
  const { leads, cursor } = await sync.pullLeads({ cursor: state.cursor });
  for (const lead of leads) {
    console.log(
      `${new Date().toISOString()}  ${lead.status.padEnd(9)} ${lead.name ?? '—'} <${lead.email ?? lead.phone ?? 'no contact'}>  ${lead.externalId ?? 'new'}`,
    );
    if (!lead.externalId && (lead.email || lead.phone))
      await sync.linkLead(`crm-${state.next++}`, { email: lead.email, phone: lead.phone });
  }
  // outcomes.json, filled by the sales team: [{ "match": { "externalId": "crm-1" }, "outcome": "won" }, …]
  const queued = load(OUTCOMES_FILE, []);
  if (queued.length) {
    const batch = queued.slice(0, 100);
    const outcomes = batch.map(({ match, outcome }) => ({ match, outcome }));
    // The same batch after a crash gets the same key, so Beckon applies it once.
    const key = createHash('sha256').update(JSON.stringify(outcomes)).digest('hex');
    const { results } = await sync.pushOutcomes(outcomes, key);
    for (const result of results) console.log(`outcome ${batch[result.index].outcome} → ${result.status}`);
    writeFileSync(OUTCOMES_FILE, JSON.stringify(queued.slice(batch.length), null, 2));
  }
  writeFileSync(STATE_FILE, JSON.stringify({ ...state, cursor }, null, 2));
}

for (;;) {
  await round().catch((error) => console.error(`sync failed, retrying next round: ${error.message}`));
  await new Promise((resolve) => setTimeout(resolve, Number(EVERY_MS)));
}
