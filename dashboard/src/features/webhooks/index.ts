/** Webhook endpoints and their delivery log (admins). */
// The page (WebhooksPage) is not here: App loads it lazily from ./page.ts, so importing this face never brings it in.
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './webhooks.css';
