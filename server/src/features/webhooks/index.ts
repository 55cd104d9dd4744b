// Public face of the webhooks feature: the only module other features (and app.ts, server.ts, realtime/) import.
// Everything else in this folder is internal. See ARCHITECTURE.md, "Module boundaries".

export { startDeliveryWorker } from './delivery.js';
export { enqueueWebhookEvent } from './outbox.js';
export { webhookRoutes } from './routes.js';
