/**
 * `@beckon/sdk/server`: a typed client of Beckon's API for CRMs and scripts, and webhook verification.
 * Server side only (an API key must never reach a browser); native fetch and Web Crypto, no dependencies.
 */
export {
  type BeckonClient,
  type BeckonClientOptions,
  type CallbackClose,
  createBeckonClient,
  type OfflineSignalInput,
  type OutcomeInput,
  type RateLimitState,
  type SiteClient,
  SyncIterator,
  type SyncItems,
  type SyncList,
  type SyncOptions,
  type WriteOptions,
} from './client.js';
export { BeckonApiError } from './errors.js';
export {
  type HeadersLike,
  type VerifiedWebhook,
  type VerifyWebhookOptions,
  verifyWebhook,
  WebhookVerificationError,
} from './webhooks.js';
export type {
  ApiCallback,
  ApiConversation,
  ApiFeedback,
  ApiLead,
  ApiPerson,
  ApiScore,
  BulkOutcomeResult,
  ErrorCode,
  LeadUpsert,
  RecordSignalsResponse,
  ReportByName,
  ReportName,
  ReportQuery,
  SyncPage,
  WebhookDeliveryEventType,
  WebhookPayload,
} from '../protocol/index.js';
