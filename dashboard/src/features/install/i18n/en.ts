export default {
  title: 'Install',
  description: 'Add Beckon to {site}: one script tag, no build step.',
  addSnippet: 'Add the snippet',
  addSnippetHint:
    'Paste it into the HTML of every page, just before {tag}, or add it as a custom HTML tag in your tag manager.',
  copySnippet: 'Copy snippet',
  queueSummary: 'Optional: call Beckon before the script has loaded',
  queueHint:
    'Add this line above the snippet if your page calls {identify} or {track} early. Calls are queued and run as soon as the widget is ready.',
  checkWorks: 'Check it works',
  checkWorksHint:
    'Open a page with the snippet: the launcher appears in the corner, and the visit shows up on the Visitors page within a second.',
  tryDemo: 'Try it on the demo shop',
  siteDetails: 'Site details',
  siteKey: 'Site key',
  template: 'Template',
  templateB2b: 'B2B / services',
  templateShop: 'Online shop',
  created: 'Created',
  allowWebsite: 'Allow your website',
  allowWebsiteHint:
    'The widget only runs on these origins; requests from anywhere else are refused. Add every domain the snippet is on, including staging.',
  saved: 'Saved.',
  unsaved: 'Unsaved changes',
  discard: 'Discard',
  saving: 'Saving…',
  saveOrigins: 'Save origins',
  adminsOnly: 'Only admins can change the allowed origins.',
  // InstallHealthCard.tsx
  addFailed: 'Could not add {origin}: {error}',
  healthTitle: 'Refused and dropped (last 24 h)',
  loading: 'Loading…',
  noneRefused: 'No requests were refused: every page the widget ran on is allowed.',
  refusedOrigins: 'Refused origins',
  refused: {
    one: '{count} request refused from {origin} in the last 24 h (latest {latest})',
    other: '{count} requests refused from {origin} in the last 24 h (latest {latest})',
  },
  addIt: ' — add it?',
  adding: 'Adding…',
  allow: 'Allow',
  askAdmin: 'Ask an admin to add it under Allowed origins.',
  noBots: 'No events were dropped as bots.',
  bots: {
    one: '{count} event from {requests} dropped as bots in the last 24 h (latest {latest}).',
    other: '{count} events from {requests} dropped as bots in the last 24 h (latest {latest}).',
  },
  requests: { one: '{count} request', other: '{count} requests' },
  botsHint:
    'Crawlers, link previews and automated browsers (headless Chrome, Playwright, Puppeteer, Lighthouse) are recognised by their user agent and never stored, so they do not show on Visitors or skew scores. Test the install in an ordinary browser window.',
};
