/**
 * The dashboard's API client (Hono RPC over the server's `AppType`) and its one error model. Every call's
 * answer type comes from the server's route, so a changed field fails `tsc -b` here; see dashboard/README.md.
 */
export {
  type Answer,
  type ApiClient,
  type ApiClientOptions,
  type CannedResponse,
  type ConversationDetail,
  type ConversationEvent,
  type InboxView,
  type Result,
  type VisitorContext,
  api,
  createApiClient,
} from './client';
export {
  ApiError,
  type FieldIssue,
  errorMessage,
  fieldErrors,
  formatWait,
  parseErrorResponse,
  parseRetryAfter,
} from './errors';
