// The Online Shoppers sessions (tests/fixtures/online-shoppers) as a script tag would report them: shared
// by `bench:scoring`. Only what a tag observes: pages by type and the time on each, new vs returning, the
// traffic source and the device. Never `Revenue` (it is the outcome) and never `PageValues` (computed
// from purchases).
import { readFileSync } from 'node:fs';

export function loadSessions() {
  const text = readFileSync(
    new URL('../fixtures/online-shoppers/online_shoppers_intention.csv', import.meta.url),
    'utf8',
  );
  const [header, ...lines] = text.trim().split('\n');
  const columns = header.split(',');
  return lines.map((line, index) => {
    const cells = line.split(',');
    const row = Object.fromEntries(columns.map((name, i) => [name, cells[i]]));
    return {
      index,
      administrative: Number(row.Administrative),
      administrativeSeconds: Number(row.Administrative_Duration),
      informational: Number(row.Informational),
      informationalSeconds: Number(row.Informational_Duration),
      products: Number(row.ProductRelated),
      productSeconds: Number(row.ProductRelated_Duration),
      returning: row.VisitorType === 'Returning_Visitor',
      trafficType: Number(row.TrafficType),
      operatingSystem: Number(row.OperatingSystems),
      won: row.Revenue === 'TRUE',
    };
  });
}

/** A seeded generator (mulberry32), so the split and the page order are the same on every run. */
export function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// The data set codes operating systems 1–8 without names: each gets a plausible browser of its own.
const userAgents = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (Windows NT 6.1; Win64; x64; rv:115.0) Gecko/20100101 Firefox/115.0',
  'Mozilla/5.0 (iPad; CPU OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
];
export const userAgentOf = (session) =>
  userAgents[(session.operatingSystem - 1 + userAgents.length) % userAgents.length];

// The data set's "administrative" pages are account management, its "informational" pages the shop's
// information: plausible paths for each.
const accountPages = ['/account/login', '/account', '/account/orders', '/account/addresses', '/account/settings'];
const infoPages = ['/info/shipping', '/info/returns', '/info/faq', '/info/about', '/info/payment', '/info/contact'];

/**
 * The session's page views in a plausible order (account pages first, information pages spread among
 * the product pages) with the seconds spent on each (the type's duration shared evenly).
 */
export function pagesOf(session, random) {
  const pages = [];
  const add = (count, seconds, path) => {
    for (let i = 0; i < count; i++) pages.push({ path: path(i), seconds: count ? seconds / count : 0 });
  };
  const account = [];
  add(session.administrative, session.administrativeSeconds, (i) => accountPages[i % accountPages.length]);
  account.push(...pages.splice(0));
  // Each session browses its own items; the data set does not say which.
  const first = Math.floor(random() * 500);
  add(session.products, session.productSeconds, (i) => `/products/item-${first + i}`);
  const products = pages.splice(0);
  add(
    session.informational,
    session.informationalSeconds,
    (i) => infoPages[(Math.floor(random() * infoPages.length) + i) % infoPages.length],
  );
  const info = pages.splice(0);
  const browsing = [...products];
  for (const page of info) browsing.splice(Math.floor(random() * (browsing.length + 1)), 0, page);
  const all = [...account, ...browsing];
  // A session the data set counts with no page of any type still landed somewhere: the home page.
  return all.length ? all : [{ path: '/', seconds: 0 }];
}

/** Area under the ROC curve (Mann–Whitney, ties counted half). */
export function auc(scored) {
  const sorted = [...scored].sort((a, b) => a.score - b.score);
  let rankSum = 0;
  let positives = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j < sorted.length && sorted[j].score === sorted[i].score) j++;
    const rank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) if (sorted[k].won) (rankSum += rank), positives++;
    i = j;
  }
  const negatives = sorted.length - positives;
  return positives && negatives ? (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives) : 0.5;
}
