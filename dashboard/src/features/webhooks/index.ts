/** Webhook endpoints and their delivery log (admins). */
export { WebhooksPage } from './WebhooksPage';
// After the exports: this feature's styles come after those of the components and features it uses (as in the old single stylesheet).
import './webhooks.css';
