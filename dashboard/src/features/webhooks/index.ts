/** Webhook endpoints and their delivery log (admins). */
import './webhooks.css';
export { WebhooksPage } from './WebhooksPage';
