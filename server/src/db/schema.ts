// The schema index: every table and relation, re-exported from the feature that owns it (features/X/schema.ts).
// drizzle-kit reads this file; code that reads another feature's table (a join) imports it from here.
export * from '../features/audiences/schema.js';
export * from '../features/api-keys/schema.js';
export * from '../features/auth/schema.js';
export * from '../features/callbacks/schema.js';
export * from '../features/chat/schema.js';
export * from '../features/collect/schema.js';
export * from '../features/consent/schema.js';
export * from '../features/feedback/schema.js';
export * from '../features/invitations/schema.js';
export * from '../features/leads/schema.js';
export * from '../features/persons/schema.js';
export * from '../features/privacy/schema.js';
export * from '../features/reports/schema.js';
export * from '../features/routing/schema.js';
export * from '../features/scoring/schema.js';
export * from '../features/sites/schema.js';
export * from '../features/team/schema.js';
export * from '../features/triggers/schema.js';
export * from '../features/visitors/schema.js';
export * from '../features/webhooks/schema.js';
