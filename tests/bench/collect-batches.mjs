// The behaviour batches bench:ingest and bench:ingest-ab post to /v1/collect: pageviews with their
// engagement, now and then a tracked event, each with a fresh client event id.
const paths = ['/demo/', '/demo/catalogue.html', '/demo/product.html', '/demo/pricing.html', '/demo/contact.html'];

/** `makeBatch(visitorId)` for a site served at `origin`, `eventsPerRequest` events a batch. */
export function batchMaker(origin, eventsPerRequest = 10) {
  let sequence = 0;
  const eventId = () => `b${Date.now().toString(36)}${(sequence++).toString(36).padStart(6, '0')}`;
  return function makeBatch(visitorId) {
    const events = [];
    const now = Date.now();
    for (let i = 0; i < eventsPerRequest; i++) {
      const url = `${origin}${paths[(sequence + i) % paths.length]}`;
      const kind = i % 5;
      if (kind === 4) events.push({ id: eventId(), type: 'track', ts: now, url, name: 'add-to-cart' });
      else if (kind === 3)
        events.push({ id: eventId(), type: 'engagement', ts: now, url, visibleMs: 12_000, maxScroll: 75 });
      else events.push({ id: eventId(), type: 'pageview', ts: now, url, title: 'Bench page' });
    }
    return { site: 'demo', visitorId, sessionId: `s_${visitorId}`, events };
  };
}
